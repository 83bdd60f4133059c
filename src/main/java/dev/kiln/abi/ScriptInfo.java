package dev.kiln.abi;

import java.util.List;

/**
 * The metadata a script library exports (kiln_script_info), read once at load.
 * {@code stateDefaults} is the State with its declared defaults (all zero when the library
 * gives none), copied out of the library so it outlives it.
 */
public record ScriptInfo(
        int abiVersion,
        int structVersion,
        String name,
        String sourceHash,
        long buildTimeUnix,
        int defaultPhase,
        int stateSize,
        int stateAlign,
        List<StateField> stateFields,
        List<String> exports,
        byte[] stateDefaults) {

    /** One field of the script's State (kiln_field_info). */
    public record StateField(String name, int type, int offset, int size) {
        public String typeName() {
            return switch (type) {
                case 1 -> "bool";
                case 2 -> "i32";
                case 3 -> "u32";
                case 4 -> "i64";
                case 5 -> "u64";
                case 6 -> "f32";
                case 7 -> "f64";
                case 8 -> "vec3";
                case 9 -> "quat";
                case 10 -> "entity";
                default -> "other";
            };
        }
    }
}
