package dev.kiln.script;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.abi.ScriptInfo;
import java.lang.foreign.MemorySegment;
import java.math.BigInteger;

/**
 * Parses a typed value from text and writes it at a State field's offset. Every value is
 * parsed and range-checked completely before a byte is written, so a bad value changes nothing.
 */
final class StateValueParser {
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private StateValueParser() {}

    /** Null when written, else a message naming the field, its type and what was wrong. */
    static String write(MemorySegment s, ScriptInfo.StateField f, String text) {
        return write(s, f, text, "State field");
    }

    /** The same for any typed field; {@code what} names its kind in the message ("component field"). */
    static String write(MemorySegment s, ScriptInfo.StateField f, String text, String what) {
        long o = f.offset();
        String type = f.typeName();
        try {
            switch (type) {
                case "bool" -> s.set(JAVA_BYTE, o, (byte) (parseBool(text) ? 1 : 0));
                case "i32" -> s.set(JAVA_INT, o, (int) integer(text, BigInteger.valueOf(Integer.MIN_VALUE),
                        BigInteger.valueOf(Integer.MAX_VALUE)).longValue());
                case "u32" -> s.set(JAVA_INT, o, (int) integer(text, BigInteger.ZERO, BigInteger.valueOf(0xFFFF_FFFFL)).longValue());
                case "i64" -> s.set(JAVA_LONG, o, integer(text, BigInteger.valueOf(Long.MIN_VALUE),
                        BigInteger.valueOf(Long.MAX_VALUE)).longValue());
                case "u64" -> s.set(JAVA_LONG, o, integer(text, BigInteger.ZERO, U64_MAX).longValue());
                case "f32" -> s.set(JAVA_FLOAT, o, f32(text));
                case "f64" -> s.set(JAVA_DOUBLE, o, f64(text));
                case "vec3", "quat" -> writeFloats(s, o, floats(text, type.equals("vec3") ? 3 : 4));
                default -> throw new IllegalArgumentException("fields of type " + type + " cannot be edited");
            }
            return null;
        } catch (IllegalArgumentException e) {
            return what + " '" + f.name() + "' (" + type + "): " + e.getMessage() + "; nothing changed";
        }
    }

    private static boolean parseBool(String text) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("'" + text + "' is not true or false");
        };
    }

    private static BigInteger integer(String text, BigInteger min, BigInteger max) {
        BigInteger v;
        try {
            v = new BigInteger(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not an integer");
        }
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            throw new IllegalArgumentException(text + " is out of range [" + min + ", " + max + "]");
        }
        return v;
    }

    private static double f64(String text) {
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number");
        }
        // Double.parseDouble also takes "NaN", "Infinity" and hex: refuse what scripts cannot use.
        if (!Double.isFinite(v)) throw new IllegalArgumentException("'" + text + "' is not a finite number");
        return v;
    }

    private static float f32(String text) {
        double v = f64(text);
        if (Math.abs(v) > Float.MAX_VALUE) throw new IllegalArgumentException(text + " does not fit in an f32");
        return (float) v;
    }

    private static float[] floats(String text, int count) {
        String inner = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        String[] parts = inner.split(",", -1);
        if (parts.length != count) {
            throw new IllegalArgumentException("expected " + count + " comma-separated numbers, got '" + text + "'");
        }
        float[] out = new float[count];
        for (int i = 0; i < count; i++) out[i] = f32(parts[i].strip());
        return out;
    }

    private static void writeFloats(MemorySegment s, long o, float[] values) {
        for (int i = 0; i < values.length; i++) s.set(JAVA_FLOAT, o + 4L * i, values[i]);
    }
}
