package dev.kiln.ecs;

/** KILN_SPACE_* of abi/kiln.h: which axes a relative rotation turns about. */
public enum RotationSpace {
    /** The entity's own (rotated) axes: q' = q * delta. */
    LOCAL,
    /** The world's fixed axes: q' = delta * q (what the original ROTATE record does). */
    WORLD;

    /** The space of a KILN_SPACE_* code, or null for an unknown one (a malformed record). */
    public static RotationSpace ofCode(int code) {
        return switch (code) {
            case 0 -> LOCAL;
            case 1 -> WORLD;
            default -> null;
        };
    }
}
