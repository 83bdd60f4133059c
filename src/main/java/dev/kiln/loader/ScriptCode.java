package dev.kiln.loader;

import dev.kiln.abi.ScriptInfo;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.nio.file.Path;

/**
 * The code of one loaded script library version, as the runtime calls it: in the engine's
 * process ({@link NativeLibrary}) or in a host process of its own
 * ({@link dev.kiln.isolate.IsolatedLibrary}). Batch calls take the engine's kiln_frame and a
 * kiln_instance (or kiln_signal_delivery) array and return a kiln_status, or
 * {@link FaultGuard#STATUS_FAULT} with {@link #lastFault()} saying what was contained.
 */
public interface ScriptCode extends AutoCloseable {
    Path path();

    ScriptInfo info();

    /** Where the State of this version's instances is allocated; it dies with the library. */
    SegmentAllocator stateAllocator();

    /** True when the library runs in a host process of its own (isolated mode). */
    default boolean isolated() {
        return false;
    }

    /**
     * The container memory of its instances when the library brings its own (an isolated host
     * keeps them in its process), or null: the engine's heap.
     */
    default ContainerMemory containerMemory() {
        return null;
    }

    int init(MemorySegment frame, MemorySegment instances, int count);

    int update(MemorySegment frame, MemorySegment instances, int count);

    int shutdown(MemorySegment frame, MemorySegment instances, int count);

    boolean hasSignalHandler();

    int signal(MemorySegment frame, MemorySegment deliveries, int count);

    /**
     * True when the library takes compact signal batches (kiln_script_signal_batch beside
     * kiln_script_signal). An isolated library does not: its host relays kiln_signal_delivery.
     */
    default boolean hasSignalBatch() {
        return false;
    }

    /**
     * kiln_script_signal_batch over the kiln_signal_batch {@code batch} of {@code count}
     * deliveries; a status as {@link #signal}. Only when {@link #hasSignalBatch}.
     */
    default int signalBatch(MemorySegment frame, MemorySegment batch, int count) {
        throw new UnsupportedOperationException("no kiln_script_signal_batch in " + path());
    }

    /**
     * True when the library takes lane batches (kiln_script_signal_lane beside
     * kiln_script_signal_batch: rounds routed from the signal lane). An isolated library does not.
     */
    default boolean hasSignalLane() {
        return false;
    }

    /**
     * kiln_script_signal_lane over the kiln_signal_batch {@code batch} of {@code count} lane
     * deliveries; a status as {@link #signal}. Only when {@link #hasSignalLane}.
     */
    default int signalLane(MemorySegment frame, MemorySegment batch, int count) {
        throw new UnsupportedOperationException("no kiln_script_signal_lane in " + path());
    }

    boolean hasUnloadHook();

    /** The optional per-instance unload hook of a library being replaced by hot reload. */
    int unload(MemorySegment frame, MemorySegment instances, int count);

    /** The library's health check status code, or KILN_OK when it has none. */
    int healthCheck();

    boolean hasMigrateHook();

    /**
     * The author's migrate hook for one instance: {@code newState} is this library's (already
     * migrated by name), {@code oldState} belongs to {@code oldCode}, the version it replaces,
     * whose State fields the hook gets as a kiln_field_info table.
     */
    int migrate(MemorySegment newState, MemorySegment oldState, ScriptCode oldCode);

    boolean hasSerializeHook();

    boolean hasDeserializeHook();

    /** Writes {@code state} into {@code out}; the length goes to {@code lengthOut} (a uint32). */
    int serialize(MemorySegment state, MemorySegment out, MemorySegment lengthOut);

    int deserialize(MemorySegment state, MemorySegment bytes, int length);

    /** The fault contained in this thread's last call that returned STATUS_FAULT, or null. */
    FaultGuard.Fault lastFault();

    /**
     * Stops a call running on {@code nativeThread} that is past its budget (the watchdog's
     * tool): a signal that jumps out of the script in-process, the end of the host process
     * for an isolated library.
     */
    void stopCall(long nativeThread);

    /** Unloads the library: its code and its State memory disappear. */
    @Override
    void close();

    /**
     * After {@link #close}: null when the library's code really left the engine's process,
     * else why it stayed (see {@link UnloadCheck}). An isolated library is never mapped in the
     * engine, so it has nothing to check.
     */
    default String unloadProblem() {
        return null;
    }
}
