package dev.kiln.state;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Reads and writes the scalar kinds of a State (bool, integers of any width, f16/f32/f64) in
 * little-endian bytes, and converts between them the way a reload should: integers saturate at
 * the target's bounds in every direction (signed ↔ unsigned included), floats round to the
 * nearest integer and saturate, a float too large for a narrower float becomes its largest
 * finite value. NaN has no integer or bool meaning: {@link #write} reports it as not converted.
 */
final class ScalarConversion {
    private ScalarConversion() {}

    static boolean isScalar(StateType t) {
        return t instanceof StateType.BoolType || t instanceof StateType.IntType || t instanceof StateType.FloatType;
    }

    /** A scalar value as read: an integer (bool as 0/1) or a double. */
    static Object read(byte[] b, int at, StateType type) {
        return switch (type) {
            case StateType.BoolType ignored -> (b[at] & 1) != 0 ? BigInteger.ONE : BigInteger.ZERO;
            case StateType.IntType i -> readInt(b, at, i);
            case StateType.FloatType f -> switch (f.bits()) {
                case 16 -> (double) Float.float16ToFloat((short) ((b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8));
                case 32 -> (double) Float.intBitsToFloat((int) readLong(b, at, 4));
                default -> Double.longBitsToDouble(readLong(b, at, 8));
            };
            default -> throw new IllegalArgumentException("not a scalar: " + type.describe());
        };
    }

    /** Writes {@code value} as {@code type}; false (nothing written) when it has no such value (NaN). */
    static boolean write(byte[] b, int at, StateType type, Object value) {
        switch (type) {
            case StateType.BoolType ignored -> {
                if (value instanceof Double d && d.isNaN()) return false;
                boolean truth = value instanceof BigInteger i ? i.signum() != 0 : (Double) value != 0;
                b[at] = (byte) (truth ? 1 : 0);
            }
            case StateType.IntType i -> {
                BigInteger v;
                if (value instanceof BigInteger big) {
                    v = big;
                } else {
                    double d = (Double) value;
                    if (Double.isNaN(d)) return false;
                    v = Double.isInfinite(d) ? (d > 0 ? max(i) : min(i))
                            : new BigDecimal(Math.rint(d)).toBigInteger();
                }
                writeInt(b, at, i, v.max(min(i)).min(max(i)));
            }
            case StateType.FloatType f -> {
                double d = value instanceof BigInteger big ? big.doubleValue() : (Double) value;
                switch (f.bits()) {
                    case 16 -> {
                        short h = Float.floatToFloat16((float) saturate(d, 65504.0));
                        b[at] = (byte) h;
                        b[at + 1] = (byte) (h >> 8);
                    }
                    case 32 -> writeLong(b, at, 4, Float.floatToRawIntBits((float) saturate(d, Float.MAX_VALUE)));
                    default -> writeLong(b, at, 8, Double.doubleToRawLongBits(d));
                }
            }
            default -> throw new IllegalArgumentException("not a scalar: " + type.describe());
        }
        return true;
    }

    /** A finite value stays finite: past the target's largest finite value it becomes that value. */
    private static double saturate(double d, double largest) {
        if (Double.isNaN(d) || Double.isInfinite(d)) return d;
        return Math.max(-largest, Math.min(largest, d));
    }

    static BigInteger readInt(byte[] b, int at, StateType.IntType t) {
        byte[] bigEndian = new byte[t.size() + 1]; // a leading zero keeps it non-negative
        for (int k = 0; k < t.size(); k++) bigEndian[t.size() - k] = b[at + k];
        BigInteger raw = new BigInteger(bigEndian);
        if (t.bits() == 0) return BigInteger.ZERO;
        BigInteger value = raw.and(BigInteger.ONE.shiftLeft(t.bits()).subtract(BigInteger.ONE));
        if (t.signed() && value.testBit(t.bits() - 1)) value = value.subtract(BigInteger.ONE.shiftLeft(t.bits()));
        return value;
    }

    /** Two's complement in {@code t.size()} bytes: sign-extended when signed, zero-extended when not. */
    static void writeInt(byte[] b, int at, StateType.IntType t, BigInteger v) {
        byte[] bigEndian = v.toByteArray();
        byte fill = (byte) (v.signum() < 0 ? 0xFF : 0);
        for (int k = 0; k < t.size(); k++) {
            int from = bigEndian.length - 1 - k;
            b[at + k] = from >= 0 ? bigEndian[from] : fill;
        }
    }

    static BigInteger min(StateType.IntType t) {
        return t.signed() && t.bits() > 0 ? BigInteger.ONE.shiftLeft(t.bits() - 1).negate() : BigInteger.ZERO;
    }

    static BigInteger max(StateType.IntType t) {
        if (t.bits() == 0) return BigInteger.ZERO;
        return BigInteger.ONE.shiftLeft(t.signed() ? t.bits() - 1 : t.bits()).subtract(BigInteger.ONE);
    }

    private static long readLong(byte[] b, int at, int bytes) {
        long v = 0;
        for (int k = bytes - 1; k >= 0; k--) v = v << 8 | (b[at + k] & 0xFF);
        return v;
    }

    private static void writeLong(byte[] b, int at, int bytes, long v) {
        for (int k = 0; k < bytes; k++) b[at + k] = (byte) (v >>> (8 * k));
    }
}
