package dev.kiln.script;

import java.util.Arrays;

/**
 * One request quota per instance across a barrier's dispatch rounds (docs/reliability.md,
 * "Request quota"): every delivery to an instance, and its shutdown hook, draw on the same
 * bytes. Without it a handler's quota applied per delivery, so an instance that signals itself
 * multiplied its quota by the deliveries it received.
 *
 * <p>{@link #charge} runs over each round's ranges before they are applied, in the order they
 * are applied: a range past what is left of its owner's quota gets its quota lowered to that
 * ({@link CommandRanges#limit}), so the decoder refuses and counts exactly the requests past it,
 * whichever path delivered it (compact batch, kiln_signal_delivery, Java router, isolated host).
 * Owners that used more than half of their quota are remembered, so the runtime can tell their
 * next round's hooks what is left (kiln_instance.cmd_quota), and their SDK refuses at the call
 * instead of writing records the engine would refuse. Frame thread.
 */
final class DispatchQuota {
    /** The quota a hook is given once its instance's quota for the barrier is spent: no record fits in it. */
    static final int SPENT_QUOTA_BYTES = 8;

    /** Per instance id: the barrier it was last charged in, its full quota, the bytes it used. */
    private int[] stampOf = new int[256];
    private int[] fullOf = new int[256];
    private int[] usedOf = new int[256];
    private int stamp;
    /** Ids of instances past half their quota this barrier, each once. */
    private int[] heavy = new int[16];
    private int heavyCount;

    /** Starts a barrier's dispatch rounds: every instance's quota is whole again. */
    void begin() {
        heavyCount = 0;
        if (++stamp == Integer.MAX_VALUE) { // wrapped: no id may still carry a live stamp
            Arrays.fill(stampOf, 0);
            stamp = 1;
        }
    }

    /** Charges every range of {@code ranges} to its owner, lowering the quota of a range past what is left. */
    void charge(CommandRanges ranges) {
        for (int r = 0, n = ranges.count(); r < n; r++) {
            int quota = ranges.quota(r);
            if (quota <= 0) continue; // no quota (a dry run's probe)
            int id = ranges.owner(r);
            if (id < 0) continue;
            if (id >= stampOf.length) grow(id);
            if (stampOf[id] != stamp) { // its first range this barrier carries its whole quota
                stampOf[id] = stamp;
                fullOf[id] = quota;
                usedOf[id] = 0;
            }
            int full = fullOf[id], used = usedOf[id], left = full - used, length = ranges.length(r);
            if (length > left) {
                ranges.limit(r, Math.max(SPENT_QUOTA_BYTES, left & ~7));
                usedOf[id] = full;
            } else {
                usedOf[id] = used + length;
            }
            if (used <= full / 2 && usedOf[id] > full / 2) {
                if (heavyCount == heavy.length) heavy = Arrays.copyOf(heavy, heavyCount * 2);
                heavy[heavyCount++] = id;
            }
        }
    }

    /** Instances past half their quota this barrier: ids {@code heavy()[0 .. heavyCount())}. */
    int[] heavy() {
        return heavy;
    }

    int heavyCount() {
        return heavyCount;
    }

    /** What is left of instance {@code id}'s quota this barrier, at least {@link #SPENT_QUOTA_BYTES}. */
    int left(int id) {
        if (id < 0 || id >= stampOf.length || stampOf[id] != stamp) return Integer.MAX_VALUE;
        return Math.max(SPENT_QUOTA_BYTES, (fullOf[id] - usedOf[id]) & ~7);
    }

    private void grow(int id) {
        int n = Math.max(id + 1, stampOf.length * 2);
        stampOf = Arrays.copyOf(stampOf, n);
        fullOf = Arrays.copyOf(fullOf, n);
        usedOf = Arrays.copyOf(usedOf, n);
    }
}
