package dev.kiln.reload;

import dev.kiln.abi.ScriptInfo.StateField;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves a State from an old library's layout to a new one's, by field name: fields kept by name
 * keep their value (numeric type changes converted), new fields get their declared defaults,
 * removed fields are dropped, and a field whose type changed incompatibly is reset to its
 * default with a warning. Both layouts come from the SDK's field tables (kiln_field_info).
 */
public final class StateMigration {
    /** What happened to one field, for the reload report. */
    public record FieldChange(String field, Kind kind, String detail) {
        public enum Kind { KEPT, CONVERTED, ADDED, REMOVED, RESET }
    }

    private final List<StateField> newFields;
    private final byte[] newDefaults;
    private final List<FieldChange> plan = new ArrayList<>();
    /** The old field of each new field that has one (null otherwise), computed once, not per instance. */
    private final StateField[] sourceOf;

    public StateMigration(List<StateField> oldFields, List<StateField> newFields, byte[] newDefaults) {
        this.newFields = newFields;
        this.newDefaults = newDefaults;
        Map<String, StateField> oldByName = byName(oldFields);
        Map<String, StateField> newByName = byName(newFields);
        sourceOf = new StateField[newFields.size()];
        for (int k = 0; k < newFields.size(); k++) sourceOf[k] = oldByName.get(newFields.get(k).name());
        for (StateField n : newFields) {
            StateField o = oldByName.get(n.name());
            if (o == null) {
                plan.add(new FieldChange(n.name(), FieldChange.Kind.ADDED, "new field: declared default"));
            } else if (o.type() == n.type() && o.size() == n.size()) {
                plan.add(new FieldChange(n.name(), FieldChange.Kind.KEPT, ""));
            } else if (isNumeric(o) && isNumeric(n)) {
                plan.add(new FieldChange(n.name(), FieldChange.Kind.CONVERTED, o.typeName() + " → " + n.typeName()));
            } else {
                plan.add(new FieldChange(n.name(), FieldChange.Kind.RESET,
                        "type changed from " + o.typeName() + " (" + o.size() + " bytes) to " + n.typeName()
                                + " (" + n.size() + " bytes): reset to its default"));
            }
        }
        for (StateField o : oldFields) {
            if (!newByName.containsKey(o.name())) {
                plan.add(new FieldChange(o.name(), FieldChange.Kind.REMOVED, "field removed: value dropped"));
            }
        }
    }

    public List<FieldChange> plan() {
        return List.copyOf(plan);
    }

    /** Fields reset because their type changed incompatibly (reported as warnings). */
    public List<FieldChange> resets() {
        return plan.stream().filter(c -> c.kind() == FieldChange.Kind.RESET).toList();
    }

    /** The new State's bytes for an instance whose old State is {@code oldState}. */
    public byte[] migrate(byte[] oldState) {
        byte[] out = newDefaults.clone();
        ByteBuffer src = ByteBuffer.wrap(oldState).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer dst = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < newFields.size(); k++) {
            StateField n = newFields.get(k);
            StateField o = sourceOf[k];
            if (o == null) continue;
            if (o.type() == n.type() && o.size() == n.size()) {
                System.arraycopy(oldState, o.offset(), out, n.offset(), n.size());
            } else if (isNumeric(o) && isNumeric(n)) {
                writeNumber(dst, n, readNumber(src, o));
            }
        }
        return out;
    }

    private static Map<String, StateField> byName(List<StateField> fields) {
        Map<String, StateField> map = new HashMap<>();
        for (StateField f : fields) map.put(f.name(), f);
        return map;
    }

    private static boolean isNumeric(StateField f) {
        return switch (f.typeName()) {
            case "bool", "i32", "u32", "i64", "u64", "f32", "f64" -> true;
            default -> false;
        };
    }

    /** Integers are read exactly (as long), floats as double. */
    private static Number readNumber(ByteBuffer b, StateField f) {
        int o = f.offset();
        return switch (f.typeName()) {
            case "bool" -> (long) (b.get(o) != 0 ? 1 : 0);
            case "i32" -> (long) b.getInt(o);
            case "u32" -> Integer.toUnsignedLong(b.getInt(o));
            case "i64", "u64" -> b.getLong(o);
            case "f32" -> (double) b.getFloat(o);
            default -> b.getDouble(o);
        };
    }

    private static void writeNumber(ByteBuffer b, StateField f, Number value) {
        int o = f.offset();
        boolean integral = value instanceof Long;
        switch (f.typeName()) {
            case "bool" -> b.put(o, (byte) (value.doubleValue() != 0 ? 1 : 0));
            case "i32", "u32" -> b.putInt(o, integral ? (int) clamp(value.longValue(), f) : (int) clamp(Math.round(value.doubleValue()), f));
            case "i64", "u64" -> b.putLong(o, integral ? value.longValue() : Math.round(value.doubleValue()));
            case "f32" -> b.putFloat(o, value.floatValue());
            default -> b.putDouble(o, value.doubleValue());
        }
    }

    /** Narrowing saturates instead of wrapping: a counter of 5e9 becomes u32 max, not garbage. */
    private static long clamp(long v, StateField f) {
        return f.typeName().equals("u32") ? Math.max(0, Math.min(0xFFFF_FFFFL, v))
                : Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }
}
