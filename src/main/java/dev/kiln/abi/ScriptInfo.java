package dev.kiln.abi;

import dev.kiln.state.StateType;
import java.util.ArrayList;
import java.util.List;

/**
 * The metadata a script library exports (kiln_script_info), read once at load.
 * {@code stateDefaults} is the State with its declared defaults (all zero when the library
 * gives none), copied out of the library so it outlives it. {@code stateType} is the State's
 * full type (kiln_script_info.state_type), or, for a library without one (a C script, struct
 * version 1), the flat field table read as a struct of scalars. {@code snapshotReads} is
 * kiln_script_info.snapshot_reads (KILN_READS_* flags; 0 in libraries built before it existed).
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
        byte[] stateDefaults,
        StateType.StructType stateType,
        int buildMode,
        String sourceCommit,
        int snapshotReads) {

    /**
     * Whether the library reads entity positions only from the snapshot's position table
     * (kiln_script_info.snapshot_reads has KILN_READS_POSITION_TABLE): while every loaded library
     * does, the engine leaves the rows' positions as they were.
     */
    public boolean readsPositionTable() {
        return (snapshotReads & Layouts.READS_POSITION_TABLE) != 0;
    }

    /** The optimize mode kiln_script_info.build_mode names ("ReleaseSafe"), "unknown" before struct version 2. */
    public String buildModeName() {
        if (structVersion < 2) return "unknown";
        return switch (buildMode) {
            case 0 -> "Debug";
            case 1 -> "ReleaseSafe";
            case 2 -> "ReleaseFast";
            case 3 -> "ReleaseSmall";
            default -> "mode " + buildMode;
        };
    }

    /** The State type a flat field table describes: each field a scalar of its kind, OTHER opaque. */
    public static StateType.StructType typeOfFieldTable(List<StateField> fields, int stateSize) {
        List<StateType.Field> out = new ArrayList<>(fields.size());
        for (StateField f : fields) out.add(new StateType.Field(f.name(), f.offset(), scalarOf(f)));
        return new StateType.StructType("State", stateSize, out);
    }

    private static StateType scalarOf(StateField f) {
        StateType.FloatType f32 = new StateType.FloatType(32, 4);
        return switch (f.typeName()) {
            case "bool" -> new StateType.BoolType();
            case "i32" -> new StateType.IntType(true, 32, 4);
            case "u32" -> new StateType.IntType(false, 32, 4);
            case "i64" -> new StateType.IntType(true, 64, 8);
            case "u64" -> new StateType.IntType(false, 64, 8);
            case "f32" -> f32;
            case "f64" -> new StateType.FloatType(64, 8);
            case "vec3" -> new StateType.StructType("kiln.Vec3", 12, List.of(new StateType.Field("x", 0, f32),
                    new StateType.Field("y", 4, f32), new StateType.Field("z", 8, f32)));
            case "quat" -> new StateType.StructType("kiln.Quat", 16, List.of(new StateType.Field("x", 0, f32),
                    new StateType.Field("y", 4, f32), new StateType.Field("z", 8, f32), new StateType.Field("w", 12, f32)));
            case "entity" -> new StateType.EntityType();
            default -> new StateType.OpaqueType("other", f.size());
        };
    }

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
