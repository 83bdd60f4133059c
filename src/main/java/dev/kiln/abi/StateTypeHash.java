package dev.kiln.abi;

import dev.kiln.state.StateType;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The check that a library's State metadata belongs to its own build: kiln_script_info's
 * state_type_hash (a plain number, compiled in next to state_size) against the description its
 * state_type pointer leads to, and the flat field table against that description. Zig 0.17.1's
 * incremental compiler can emit the description of the previous State next to code for the new
 * one (docs/reload.md); a library that fails this is rebuilt from scratch, never migrated.
 */
public final class StateTypeHash {
    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private StateTypeHash() {}

    /** FNV-1a 64 of the description's UTF-8 bytes, 1 where that is 0 (0 means "not given"). */
    public static long of(String stateTypeJson) {
        long h = OFFSET;
        for (byte b : stateTypeJson.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= PRIME;
        }
        return h == 0 ? 1 : h;
    }

    /**
     * Null when {@code fields} (kiln_script_info.state_fields) lists State's top-level fields
     * of {@code type} in order, at the same offsets and sizes; else what differs, naming the field.
     */
    public static String fieldTableMismatch(StateType.StructType type, List<ScriptInfo.StateField> fields) {
        if (fields.size() != type.fields().size()) {
            return "state_fields lists " + fields.size() + " fields, state_type " + type.fields().size()
                    + ": the field table belongs to another build";
        }
        for (int k = 0; k < fields.size(); k++) {
            ScriptInfo.StateField flat = fields.get(k);
            StateType.Field described = type.fields().get(k);
            if (!flat.name().equals(described.name()) || flat.offset() != described.offset()
                    || flat.size() != described.type().size()) {
                return "state_fields[" + k + "] is '" + flat.name() + "' at " + flat.offset() + " (" + flat.size()
                        + " bytes), state_type says '" + described.name() + "' at " + described.offset() + " ("
                        + described.type().size() + " bytes): the field table belongs to another build";
            }
        }
        return null;
    }
}
