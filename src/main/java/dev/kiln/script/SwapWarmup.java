package dev.kiln.script;

import dev.kiln.abi.ScriptInfo;
import dev.kiln.loader.FaultGuard;
import dev.kiln.state.StateMigration;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a swap's Java code on a background thread when a script starts being watched, so the JIT
 * has compiled it before the first reload: State migration's steps (a plan of plain copies, and
 * one converting floats and integers of every width, as a layout edit does), and the loops over
 * every instance ({@link SwapLoops}), then whole swaps of a library shaped like the script's
 * ({@link SwapRehearsal}: the code a swap runs once, and its classes). Without it the first swap of 10,000 instances runs them
 * interpreted on the frame thread (≈ 60 ms of a pause instead of ≈ 2 ms), and the next few
 * swaps each run some loop still interpreted.
 */
public final class SwapWarmup {
    /** Past the JIT's compile thresholds for the migration loop and its steps. */
    static final int ROUNDS = 20_000;

    /** Whole swaps a warm-up rehearses ({@link SwapRehearsal}): what its future ends with. */
    public static final int REHEARSED_SWAPS = SwapRehearsal.SWAPS;

    private SwapWarmup() {}

    /**
     * One thread for every warm-up of the process, one after the other: a rehearsal's calls
     * prepare their thread for the fault guard (an alternate signal stack), once per thread.
     */
    private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name("kiln-swap-warmup").unstarted(r));

    /**
     * Starts the warm-up for {@code info}'s State (its type migrated into itself, then a
     * {@link SwapRehearsal}); never fails the caller. The returned future ends with the warm-up,
     * with the number of swaps rehearsed ({@link #REHEARSED_SWAPS} unless the rehearsal broke).
     * {@code guard}: the engine's fault guard (null: none), the one its swaps run under.
     */
    public static Future<Integer> start(ScriptInfo info, FaultGuard guard) {
        if (info.stateType() == null) return CompletableFuture.completedFuture(0);
        return THREAD.submit(() -> run(info, guard));
    }

    private static int run(ScriptInfo info, FaultGuard guard) {
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
        return SwapRehearsal.run(info, guard);
    }
}
