package dev.kiln.script;

import dev.kiln.abi.ScriptInfo;
import dev.kiln.state.StateMigration;
import dev.kiln.state.StateType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

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
            StateMigration c = new StateMigration(CONVERTED_FROM, CONVERTED_TO, new byte[CONVERTED_TO.size()]);
            MemorySegment cFrom = arena.allocate(CONVERTED_FROM.size(), 16), cTo = arena.allocate(CONVERTED_TO.size(), 16);
            byte[] cOld = new byte[CONVERTED_FROM.size()], cNew = new byte[CONVERTED_TO.size()];
            for (int i = 0; i < ROUNDS; i++) c.migrate(cFrom, cTo, cOld, cNew, null);
        } catch (RuntimeException e) {
            // only a warm-up: the real migration reports its own problems
        }
        SwapLoops.warmUp(info);
    }

    /** A State whose fields all change type in {@link #CONVERTED_TO}: floats and integers of every width. */
    private static final StateType.StructType CONVERTED_FROM = new StateType.StructType("Old", 24, List.of(
            new StateType.Field("a", 0, new StateType.FloatType(32, 4)),
            new StateType.Field("b", 4, new StateType.IntType(false, 32, 4)),
            new StateType.Field("c", 8, new StateType.IntType(true, 64, 8)),
            new StateType.Field("d", 16, new StateType.FloatType(64, 8))));
    private static final StateType.StructType CONVERTED_TO = new StateType.StructType("New", 24, List.of(
            new StateType.Field("d", 0, new StateType.FloatType(32, 4)),
            new StateType.Field("c", 4, new StateType.IntType(true, 32, 4)),
            new StateType.Field("a", 8, new StateType.FloatType(64, 8)),
            new StateType.Field("b", 16, new StateType.IntType(false, 64, 8))));
}
