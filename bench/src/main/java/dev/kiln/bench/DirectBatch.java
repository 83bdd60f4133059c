package dev.kiln.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.abi.CommandBuffer;
import dev.kiln.abi.Layouts;
import dev.kiln.abi.LibraryLoadException;
import dev.kiln.dataplane.FrameBlock;
import dev.kiln.dataplane.SnapshotPublisher;
import dev.kiln.ecs.World;
import dev.kiln.loader.FaultGuard;
import dev.kiln.loader.NativeHeap;
import dev.kiln.loader.NativeLibrary;
import dev.kiln.script.Phase;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;

/**
 * One script library driven by a single kiln_script_update downcall over all its instances,
 * with the engine's runtime left out: no command ranges collected, no requests applied (the
 * buffer is just reset), no snapshot republished. What a call costs here is the native side
 * alone — FFM transition, the SDK's batch loop, the script's body, appending records — so the
 * engine's share of a frame is (Engine.step − this).
 *
 * <p>It has its own world and publisher: publishing the engine's world from a second publisher
 * would drain the world's dirty rows and starve the engine's own snapshot.
 */
final class DirectBatch implements AutoCloseable {
    private static final long ENTRY_BYTES = Layouts.INSTANCE.byteSize();

    private final Arena arena = Arena.ofShared();
    private final NativeLibrary library;
    private final SnapshotPublisher snapshot;
    private final CommandBuffer commands;
    private final FrameBlock frame;
    private final MemorySegment instances;
    private final int count;

    /**
     * Loads {@code libraryPath}, lays out one instance per entity and runs their init; the calls
     * run unguarded (no fault guard: the native side alone).
     */
    DirectBatch(Path libraryPath, World world, long[] entities) {
        this(libraryPath, world, entities, null, null);
    }

    /**
     * The same with engine-owned container memory in the frame (kiln.List and friends) and the
     * calls under {@code guard}, the fault guard whose library holds {@code heap}.
     */
    DirectBatch(Path libraryPath, World world, long[] entities, NativeHeap heap, FaultGuard guard) {
        try {
            library = NativeLibrary.load(libraryPath, guard);
        } catch (LibraryLoadException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        count = entities.length;
        snapshot = new SnapshotPublisher(4f);
        snapshot.publish(world, List.of());
        commands = new CommandBuffer(CommandBuffer.DEFAULT_CAPACITY_BYTES);
        frame = new FrameBlock(snapshot.root(), commands.root());
        if (heap != null) frame.setHeap(heap.pointer());
        if (guard != null) frame.setPanicHook(guard.panicHook());
        instances = arena.allocate(ENTRY_BYTES * count, 8);
        MemorySegment states = allocateStates();
        long slotBytes = count == 0 ? 0 : states.byteSize() / count;
        for (int i = 0; i < count; i++) {
            long at = i * ENTRY_BYTES;
            instances.set(JAVA_LONG, at + Layouts.INSTANCE_ENTITY, entities[i]);
            instances.set(ADDRESS, at + Layouts.INSTANCE_STATE, states.asSlice(i * slotBytes, slotBytes));
            instances.set(JAVA_INT, at + Layouts.INSTANCE_ID, i + 1);
            instances.set(JAVA_INT, at + Layouts.INSTANCE_FLAGS, Layouts.INSTANCE_ENABLED);
        }
        frame.set(Phase.CODE_INIT, 0, BenchScripts.FRAME_SECONDS, 0);
        requireOk("init", library.init(frame.segment(), instances, count));
        commands.reset();
        frame.set(Phase.UPDATE.code, 1, BenchScripts.FRAME_SECONDS, BenchScripts.FRAME_SECONDS);
    }

    /** Zeroed State slots, each aligned as the script asks (init expects zeroed memory). */
    private MemorySegment allocateStates() {
        long align = Math.max(8, library.info().stateAlign());
        long slot = Math.max(align, (library.info().stateSize() + align - 1) / align * align);
        return arena.allocate(slot * Math.max(1, count), align);
    }

    /** One update downcall over every instance; the records it appended are discarded. */
    int update() {
        int status = library.update(frame.segment(), instances, count);
        commands.reset();
        return status;
    }

    /** Bytes of records one update call appends (for checking a benchmark's setup). */
    int recordBytesPerCall() {
        commands.reset();
        requireOk("update", library.update(frame.segment(), instances, count));
        int used = commands.usedBytes();
        int dropped = commands.droppedCount();
        commands.reset();
        if (dropped > 0) throw new IllegalStateException(dropped + " requests dropped: buffer too small for the benchmark");
        return used;
    }

    private static void requireOk(String call, int status) {
        if (status != 0) throw new IllegalStateException("kiln_script_" + call + " returned status " + status);
    }

    @Override
    public void close() {
        frame.close();
        commands.close();
        snapshot.close();
        library.close();
        arena.close();
    }
}
