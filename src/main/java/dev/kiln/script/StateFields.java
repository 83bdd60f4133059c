package dev.kiln.script;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.abi.ScriptInfo;
import dev.kiln.ecs.Quat;
import dev.kiln.ecs.Vec3;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a script instance's State fields by name, using the field table the SDK generates
 * (kiln_field_info): what an inspector shows and what tests check.
 */
public final class StateFields {
    private StateFields() {}

    /** The field's value (Boolean, Integer, Long, Float, Double, Vec3, Quat; byte[] for other types). */
    public static Object read(ScriptInstance instance, String field) {
        MemorySegment state = instance.stateMemory();
        if (state == null) throw new IllegalStateException(instance + " has no State (not initialised or detached)");
        for (ScriptInfo.StateField f : instance.library().info().stateFields()) {
            if (f.name().equals(field)) return read(state, f);
        }
        throw new IllegalArgumentException("script '" + instance.scriptName() + "' has no State field '" + field + "'");
    }

    /** Every field by name, in declaration order. */
    public static Map<String, Object> readAll(ScriptInstance instance) {
        Map<String, Object> out = new LinkedHashMap<>();
        MemorySegment state = instance.stateMemory();
        if (state == null) return out;
        for (ScriptInfo.StateField f : instance.library().info().stateFields()) out.put(f.name(), read(state, f));
        return out;
    }

    /**
     * Writes {@code text} into a State field, parsed and checked against the field's type
     * (integers in range, floats finite, vec3 as "x, y, z", quat as "x, y, z, w"). Returns
     * null when written, else why not; on an error nothing was written. Call on the frame
     * thread between frames (scripts read State while they run).
     */
    public static String write(ScriptInstance instance, String field, String text) {
        MemorySegment state = instance.stateMemory();
        if (state == null) return instance + " has no State yet (its init has not run) or is detached";
        for (ScriptInfo.StateField f : instance.library().info().stateFields()) {
            if (f.name().equals(field)) return StateValueParser.write(state, f, text == null ? "" : text.strip());
        }
        return "script '" + instance.scriptName() + "' has no State field '" + field + "'";
    }

    /**
     * Writes {@code text} into a typed field at {@code f.offset()} of {@code target} (a
     * component row, say), checked as for State fields; null when written, else why not.
     * {@code what} names the field's kind in the message.
     */
    public static String writeTyped(MemorySegment target, ScriptInfo.StateField f, String text, String what) {
        return StateValueParser.write(target, f, text == null ? "" : text.strip(), what);
    }

    static Object read(MemorySegment s, ScriptInfo.StateField f) {
        long o = f.offset();
        return switch (f.typeName()) {
            case "bool" -> s.get(JAVA_BYTE, o) != 0;
            case "i32" -> s.get(JAVA_INT, o);
            case "u32" -> Integer.toUnsignedLong(s.get(JAVA_INT, o));
            case "i64", "u64", "entity" -> s.get(JAVA_LONG, o);
            case "f32" -> s.get(JAVA_FLOAT, o);
            case "f64" -> s.get(JAVA_DOUBLE, o);
            case "vec3" -> new Vec3(s.get(JAVA_FLOAT, o), s.get(JAVA_FLOAT, o + 4), s.get(JAVA_FLOAT, o + 8));
            case "quat" -> new Quat(s.get(JAVA_FLOAT, o), s.get(JAVA_FLOAT, o + 4), s.get(JAVA_FLOAT, o + 8),
                    s.get(JAVA_FLOAT, o + 12));
            default -> s.asSlice(o, f.size()).toArray(JAVA_BYTE);
        };
    }
}
