package dev.kiln.dataplane;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.abi.Layouts;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** The kiln_frame root struct passed to every script call. */
public final class FrameBlock implements AutoCloseable {
    private static final long PHASE = Layouts.offset(Layouts.FRAME, "phase");
    private static final long FRAME_INDEX = Layouts.offset(Layouts.FRAME, "frame_index");
    private static final long DELTA_TIME = Layouts.offset(Layouts.FRAME, "delta_time");
    private static final long TIME = Layouts.offset(Layouts.FRAME, "time");
    private static final long OWN_TRANSFORMS = Layouts.offset(Layouts.FRAME, "own_transforms");
    private static final long SIGNAL_LANE = Layouts.offset(Layouts.FRAME, "signal_lane");

    private final Arena arena = Arena.ofShared();
    private final MemorySegment segment;

    public FrameBlock(MemorySegment snapshot, MemorySegment commands) {
        segment = arena.allocate(Layouts.FRAME);
        segment.set(JAVA_INT, Layouts.offset(Layouts.FRAME, "abi_version"), Layouts.ABI_VERSION);
        segment.set(JAVA_INT, Layouts.offset(Layouts.FRAME, "struct_version"), Layouts.FRAME_STRUCT_VERSION);
        segment.set(JAVA_INT, Layouts.offset(Layouts.FRAME, "struct_size"), (int) Layouts.FRAME.byteSize());
        segment.set(ADDRESS, Layouts.offset(Layouts.FRAME, "snapshot"), snapshot);
        segment.set(ADDRESS, Layouts.offset(Layouts.FRAME, "commands"), commands);
    }

    /**
     * Points kiln_frame.panic at the fault guard's panic hook (the engine's guard; NULL, the
     * default: a panic is the SDK's own, which ends the process).
     */
    public void setPanicHook(MemorySegment hook) {
        segment.set(ADDRESS, Layouts.offset(Layouts.FRAME, "panic"), hook == null ? MemorySegment.NULL : hook);
    }

    public MemorySegment segment() {
        return segment;
    }

    public void set(int phase, long frameIndex, double deltaTime, double time) {
        segment.set(JAVA_INT, PHASE, phase);
        segment.set(JAVA_LONG, FRAME_INDEX, frameIndex);
        segment.set(JAVA_DOUBLE, DELTA_TIME, deltaTime);
        segment.set(JAVA_DOUBLE, TIME, time);
    }

    /** Writes kiln_frame.seed: the run's random seed, which the SDK's ctx.random() mixes per instance. */
    public void setSeed(long seed) {
        segment.set(JAVA_LONG, Layouts.offset(Layouts.FRAME, "seed"), seed);
    }

    /** The kiln_frame.seed scripts see. */
    public long seed() {
        return segment.get(JAVA_LONG, Layouts.offset(Layouts.FRAME, "seed"));
    }

    /** Points kiln_frame.heap at the engine's container memory (NULL: none). */
    public void setHeap(MemorySegment heap) {
        segment.set(ADDRESS, Layouts.offset(Layouts.FRAME, "heap"), heap == null ? MemorySegment.NULL : heap);
    }

    /**
     * Points kiln_frame.own_transforms at the native address of an update call's own-transform
     * column (kiln_own_transform per instance of the call), or 0 for none: set around each update
     * call that offers it, 0 for every other call. {@code frame}: this block's {@link #segment()}.
     */
    public static void setOwnTransforms(MemorySegment frame, long address) {
        frame.set(JAVA_LONG, OWN_TRANSFORMS, address);
    }

    /**
     * Points kiln_frame.signal_lane at an update call's signal lane (kiln_signal_lane), or 0 for
     * none: set around each update call that offers it, 0 for every other call.
     */
    public static void setSignalLane(MemorySegment frame, long address) {
        frame.set(JAVA_LONG, SIGNAL_LANE, address);
    }

    public void setPhase(int phase) {
        segment.set(JAVA_INT, PHASE, phase);
    }

    @Override
    public void close() {
        arena.close();
    }
}
