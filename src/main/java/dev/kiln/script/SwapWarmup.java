package dev.kiln.script;

import dev.kiln.abi.ScriptInfo;
import dev.kiln.state.StateMigration;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Runs a swap's Java code on a background thread when a script starts being watched, so the JIT
 * has compiled it before the first reload: State migration's steps, and the loops over every
 * instance ({@link SwapLoops}). Without it the first swap of 10,000 instances runs them
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
        } catch (RuntimeException e) {
            // only a warm-up: the real migration reports its own problems
        }
        SwapLoops.warmUp(info);
    }
}
