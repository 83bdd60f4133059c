package dev.kiln.script;

import dev.kiln.abi.ScriptInfo;
import dev.kiln.state.StateMigration;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Runs a swap's Java code on a background thread when a script starts being watched, so the JIT
 * has compiled it before the first reload: State migration's steps (a plan of plain copies, and
 * one converting floats and integers of every width, as a layout edit does), and the loops over
 * every instance ({@link SwapLoops}). Without it the first swap of 10,000 instances runs them
 * interpreted on the frame thread (≈ 60 ms of a pause instead of ≈ 2 ms), and the next few
 * swaps each run some loop still interpreted.
 */
public final class SwapWarmup {
    /** Past the JIT's compile thresholds for the migration loop and its steps. */
    static final int ROUNDS = 20_000;

    private SwapWarmup() {}

    /** Starts the warm-up for {@code info}'s State (its type migrated into itself); never fails the caller. */
    public static void start(ScriptInfo info) {
        if (info.stateType() == null) return;
        Thread.ofPlatform().daemon().name("kiln-swap-warmup").start(() -> run(info));
    }

    private static void run(ScriptInfo info) {
        try (Arena arena = Arena.ofShared()) { // shared, like a library's State arena (see SwapLoops.warmUp)
            StateMigration m = new StateMigration(info.stateType(), info.stateType(), info.stateDefaults());
            int size = Math.max(1, m.newSize());
            MemorySegment from = arena.allocate(size, 16), to = arena.allocate(size, 16);
            from.asSlice(0, m.newSize()).copyFrom(MemorySegment.ofArray(info.stateDefaults()));
            byte[] oldScratch = new byte[size], newScratch = new byte[size];
            for (int i = 0; i < ROUNDS; i++) m.migrate(from.asSlice(0, m.newSize()), to, oldScratch, newScratch, null);
            // A layout edit's conversions (the path a plan of plain copies never takes).
            StateMigration c = new StateMigration(SwapLoops.CONVERTED_FROM, SwapLoops.CONVERTED_TO,
                    new byte[SwapLoops.CONVERTED_TO.size()]);
            MemorySegment cFrom = arena.allocate(SwapLoops.CONVERTED_FROM.size(), 16);
            MemorySegment cTo = arena.allocate(SwapLoops.CONVERTED_TO.size(), 16);
            byte[] cOld = new byte[SwapLoops.CONVERTED_FROM.size()], cNew = new byte[SwapLoops.CONVERTED_TO.size()];
            for (int i = 0; i < ROUNDS; i++) c.migrate(cFrom, cTo, cOld, cNew, null);
        } catch (RuntimeException e) {
            // only a warm-up: the real migration reports its own problems
        }
        SwapLoops.warmUp(info);
    }
}
