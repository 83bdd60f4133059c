package dev.kiln.script;

import java.util.Arrays;

/**
 * Where a body edit's States went, run by run: the old States at addresses [from, to) were
 * copied, in order, to the new block at {@code at} (see {@link SwapLoops#copyRuns}). A phase
 * table's entries are then relinked from their own State pointers, native memory read in order,
 * instead of through every instance's objects. Few runs: a previous swap's block is one, a slab
 * filled in attach order one per chunk of 1024.
 */
final class StateMoves {
    /**
     * No State moved: a body edit that kept every State in its slot (the new version took over
     * the slab). A relink by it leaves the entries' State pointers as they are.
     */
    static final StateMoves IN_PLACE = new StateMoves();

    private long[] from = new long[8];
    private long[] to = new long[8];
    private long[] at = new long[8];
    private int runs;
    /** The run the last {@link #map} found: entries in canonical order mostly follow each other. */
    private int last;

    void add(long runFrom, long runTo, long runAt) {
        if (runs == from.length) {
            from = Arrays.copyOf(from, runs * 2);
            to = Arrays.copyOf(to, runs * 2);
            at = Arrays.copyOf(at, runs * 2);
        }
        from[runs] = runFrom;
        to[runs] = runTo;
        at[runs] = runAt;
        runs++;
    }

    /** The new address of the State that was at {@code address}, or -1 when no run moved it. */
    long map(long address) {
        if (last < runs && address >= from[last] && address < to[last]) return at[last] + (address - from[last]);
        for (int r = 0; r < runs; r++) {
            if (address >= from[r] && address < to[r]) {
                last = r;
                return at[r] + (address - from[r]);
            }
        }
        return -1;
    }
}
