package dev.kiln.ecs;

/**
 * 64-bit generational entity handles: index in the low 32 bits, generation in the high 32.
 * Generation 0 never names a live entity, so handle 0 is the null handle. A handle whose
 * generation is {@link #PENDING_GENERATION} names an entity a script requested this phase.
 */
public final class Entities {
    public static final long NULL = 0L;
    public static final int PENDING_GENERATION = 0xFFFF_FFFF;

    private Entities() {}

    public static long handle(int index, int generation) {
        return ((long) generation << 32) | (index & 0xFFFF_FFFFL);
    }

    public static int index(long handle) {
        return (int) handle;
    }

    public static int generation(long handle) {
        return (int) (handle >>> 32);
    }

    public static boolean isPending(long handle) {
        return generation(handle) == PENDING_GENERATION;
    }

    /** "12v3": index 12, generation 3 — how handles appear in logs and errors. */
    public static String format(long handle) {
        if (handle == NULL) return "null";
        if (isPending(handle)) return "pending#" + Integer.toUnsignedString(index(handle));
        return Integer.toUnsignedString(index(handle)) + "v" + Integer.toUnsignedString(generation(handle));
    }
}
