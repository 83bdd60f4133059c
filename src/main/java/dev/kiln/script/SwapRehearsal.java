package dev.kiln.script;

import dev.kiln.abi.ScriptInfo;
import dev.kiln.ecs.World;
import dev.kiln.loader.FaultGuard;
import dev.kiln.state.StateType;
import java.time.Duration;
import java.util.List;

/**
 * A throw-away hot-reload swap, run many times off the frame thread when a script starts being
 * watched: a runtime of its own, with a world of its own, swaps a library shaped like the
 * script's ({@link RehearsalCode}: the script's State, no native code) in and out for a few
 * instances, through every step a real swap takes — prepared on this thread, then health
 * check, dry-run init, States copied (a body edit) or converted (a layout edit), switch,
 * relink, the old version closed off the thread. The first real reload then finds those
 * classes loaded and their code compiled, instead of paying for both in its swap frame (tens of
 * ms before this, measured on the first reload after start-up). {@link SwapLoops#warmUp} does
 * the same for the loops over instances at a real script's count; this covers the once-per-swap code.
 */
final class SwapRehearsal {
    /** Instances of the rehearsed script: every loop runs, none long. */
    static final int INSTANCES = 16;
    /**
     * Swaps rehearsed: past the JIT's first compile threshold (a method called a few hundred
     * times) for the code a swap runs once, at a few ms of CPU in all.
     */
    static final int SWAPS = 400;
    /** What the rehearsal's runtime needs of its own (no script of the user's runs in it). */
    private static final float CELL_SIZE = 4f;
    private static final int COMMAND_BUFFER_BYTES = 1 << 16;
    private static final Duration CALL_BUDGET = Duration.ofSeconds(1);
    private static final double FRAME_SECONDS = 1.0 / 60;

    private SwapRehearsal() {}

    /**
     * Rehearses swaps of a library whose State is {@code info}'s, on the calling thread (not the
     * frame thread); touches no other runtime. Returns the swaps that succeeded (all of them,
     * unless the rehearsal itself is broken); never throws (only a rehearsal). {@code guard} is
     * the engine's (null: none), so the rehearsal runs the paths the real swap will.
     */
    static int run(ScriptInfo info, FaultGuard guard) {
        if (info.stateType() == null) return 0;
        ScriptInfo[] versions = {info, shaped(info, SwapLoops.CONVERTED_FROM), shaped(info, SwapLoops.CONVERTED_TO), info};
        int swapped = 0;
        World world = new World();
        try (ScriptRuntime runtime = new ScriptRuntime(world, CELL_SIZE, COMMAND_BUFFER_BYTES, CALL_BUDGET, entry -> { }, guard)) {
            runtime.libraryRegistry().put(info.name(), new ScriptLibrary(new RehearsalCode(info), null));
            for (int k = 0; k < INSTANCES; k++) runtime.attach(world.spawn(), info.name(), 0, null);
            frame(runtime, 0);
            for (int round = 0; round < SWAPS; round++) {
                // A body edit, then three layout edits: none matching, converting, back to the script's.
                RehearsalCode next = new RehearsalCode(versions[round % versions.length]);
                if (runtime.swapLibrary(info.name(), runtime.prepareSwap(info.name(), next)).ok()) swapped++;
                frame(runtime, round + 1);
            }
            runtime.shutdownAll();
        } catch (RuntimeException e) {
            // only a rehearsal: the real swap reports its own problems
        }
        return swapped;
    }

    /** One frame of every phase (inits run, phase tables relinked or rebuilt). */
    private static void frame(ScriptRuntime runtime, long index) {
        runtime.beginFrame(index, FRAME_SECONDS, index * FRAME_SECONDS);
        for (Phase phase : Phase.values()) {
            runtime.runPhase(phase);
            runtime.barrier(phase);
        }
    }

    /** {@code info} with its State replaced by {@code type} (defaults all zero). */
    private static ScriptInfo shaped(ScriptInfo info, StateType.StructType type) {
        return new ScriptInfo(info.abiVersion(), info.structVersion(), info.name(), info.sourceHash(),
                info.buildTimeUnix(), info.defaultPhase(), type.size(), 8, List.of(), info.exports(),
                new byte[type.size()], type, info.buildMode(), info.sourceCommit(),
                info.snapshotReads());
    }
}
