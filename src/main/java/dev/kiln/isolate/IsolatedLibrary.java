package dev.kiln.isolate;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.abi.ContainerMemory;
import dev.kiln.abi.ElfCheck;
import dev.kiln.abi.FaultGuard;
import dev.kiln.abi.FieldTable;
import dev.kiln.abi.Layouts;
import dev.kiln.abi.LibraryLoadException;
import dev.kiln.abi.NativeHeap;
import dev.kiln.abi.NativeLibrary;
import dev.kiln.abi.ScriptCode;
import dev.kiln.abi.ScriptInfo;
import dev.kiln.abi.ScriptInfoReader;
import dev.kiln.ecs.Status;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A script library running in a kiln_host process of its own (isolated mode): the cases the
 * in-process fault guard cannot contain — wild writes into memory that is valid, exit(),
 * abort() — end or damage only that process. The engine copies what a call reads (frame,
 * snapshot tables, instances, signals) into the region it shares with the host, and copies
 * back only what the call may output (each instance's command range and status, the records
 * appended, spawn ids, the grid request), checking every bound. State lives in the region.
 * A host that ends during a call is reported as a fault that stops the library.
 */
public final class IsolatedLibrary implements ScriptCode {
    private static final int FN_INIT = 0, FN_UPDATE = 1, FN_SHUTDOWN = 2, FN_SIGNAL = 3, FN_UNLOAD = 4,
            FN_HEALTH = 5, FN_MIGRATE = 6, FN_SERIALIZE = 7, FN_DESERIALIZE = 8, FN_METADATA = 9;
    private static final String[] EXPORTS = {
        NativeLibrary.EXPORT_INIT, NativeLibrary.EXPORT_UPDATE, NativeLibrary.EXPORT_SHUTDOWN,
        NativeLibrary.EXPORT_SIGNAL, NativeLibrary.EXPORT_UNLOAD, NativeLibrary.EXPORT_HEALTH,
        NativeLibrary.EXPORT_MIGRATE, NativeLibrary.EXPORT_SERIALIZE, NativeLibrary.EXPORT_DESERIALIZE,
        NativeLibrary.EXPORT_INFO,
    };
    private static final long INSTANCE = Layouts.INSTANCE.byteSize();
    private static final long DELIVERY = Layouts.SIGNAL_DELIVERY.byteSize();
    private static final long SIGNAL_AT = Layouts.offset(Layouts.SIGNAL_DELIVERY, "signal");
    private static final long FRAME_SNAPSHOT = Layouts.offset(Layouts.FRAME, "snapshot");
    private static final long FRAME_COMMANDS = Layouts.offset(Layouts.FRAME, "commands");
    private static final long FRAME_PANIC = Layouts.offset(Layouts.FRAME, "panic");
    private static final long FRAME_HEAP = Layouts.offset(Layouts.FRAME, "heap");
    private static final long BUFFER_CAPACITY = Layouts.offset(Layouts.COMMAND_BUFFER, "capacity_bytes");
    private static final long BUFFER_REQUEST_ID = Layouts.offset(Layouts.COMMAND_BUFFER, "next_request_id");
    private static final long BUFFER_DATA = Layouts.offset(Layouts.COMMAND_BUFFER, "data");
    /** Longest a host may take to start and load its library. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Path path;
    private final HostProcess host;
    private final Region region;
    private final ScriptInfo info;
    private final int exports;
    private final MemorySegment control;
    private FaultGuard.Fault lastFault;
    private String endedHow;
    /** The host's last batch said an instance was refused container memory for its budget. */
    private boolean refusalsPending;

    private IsolatedLibrary(Path path, HostProcess host, Region region, ScriptInfo info, int exports) {
        this.path = path;
        this.host = host;
        this.region = region;
        this.info = info;
        this.exports = exports;
        this.control = region.memory.asSlice(Region.CONTROL, Region.FAULT + Region.FAULT_BYTES);
    }

    /**
     * Starts {@code hostBinary} (native/kiln_host.c) with {@code library} and checks it as
     * {@link NativeLibrary#load} does; on any refusal the host is ended before throwing.
     * {@code commandCapacity} is the engine's command buffer size; {@code memoryLimit} the
     * address space the host may use beyond its region (0: unlimited).
     */
    public static IsolatedLibrary start(Path hostBinary, Path library, int commandCapacity, long memoryLimit)
            throws LibraryLoadException {
        ElfCheck.requireLoadable(library);
        HostProcess host;
        try {
            host = HostProcess.start(hostBinary, library.toAbsolutePath(), Region.bytesFor(commandCapacity), memoryLimit,
                    START_TIMEOUT);
        } catch (IOException e) {
            throw new LibraryLoadException(LibraryLoadException.Reason.NOT_LOADABLE, library,
                    "cannot start its isolated host: " + e.getMessage());
        }
        try {
            Region region = new Region(host.region(), commandCapacity);
            return check(library, host, region);
        } catch (LibraryLoadException | RuntimeException | Error e) {
            host.close();
            throw e;
        }
    }

    private static IsolatedLibrary check(Path library, HostProcess host, Region region) throws LibraryLoadException {
        MemorySegment control = region.memory;
        if (control.get(JAVA_INT, Region.STATUS) != 0) {
            throw new LibraryLoadException(LibraryLoadException.Reason.NOT_LOADABLE, library,
                    "its isolated host could not load it: " + FaultGuard.cString(control.asSlice(Region.ERROR, Region.ERROR_BYTES)));
        }
        int exports = control.get(JAVA_INT, Region.EXPORTS);
        List<String> missing = new ArrayList<>();
        for (String name : NativeLibrary.REQUIRED_EXPORTS) {
            if ((exports & (1 << List.of(EXPORTS).indexOf(name))) == 0) missing.add(name);
        }
        if (!missing.isEmpty()) throw LibraryLoadException.missingExports(library, missing);
        long infoAddress = control.get(JAVA_LONG, Region.INFO);
        if (infoAddress == 0) {
            throw new LibraryLoadException(LibraryLoadException.Reason.BAD_METADATA, library,
                    "kiln_script_metadata() returned NULL");
        }
        MemorySegment raw;
        try {
            raw = ScriptInfoReader.inside(region.memory, infoAddress, Layouts.SCRIPT_INFO.byteSize());
        } catch (IndexOutOfBoundsException e) {
            throw new LibraryLoadException(LibraryLoadException.Reason.BAD_METADATA, library,
                    "its isolated host reported metadata outside the shared region");
        }
        ScriptInfo info = ScriptInfoReader.read(library, raw, ScriptInfoReader.within(region.memory));
        return new IsolatedLibrary(library, host, region, info, exports);
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public ScriptInfo info() {
        return info;
    }

    @Override
    public SegmentAllocator stateAllocator() {
        return region.states();
    }

    @Override
    public boolean isolated() {
        return true;
    }

    private boolean has(int function) {
        return (exports & (1 << function)) != 0;
    }

    @Override
    public int init(MemorySegment frame, MemorySegment instances, int count) {
        return batch(FN_INIT, frame, instances, count, INSTANCE);
    }

    @Override
    public int update(MemorySegment frame, MemorySegment instances, int count) {
        return batch(FN_UPDATE, frame, instances, count, INSTANCE);
    }

    @Override
    public int shutdown(MemorySegment frame, MemorySegment instances, int count) {
        return batch(FN_SHUTDOWN, frame, instances, count, INSTANCE);
    }

    @Override
    public boolean hasSignalHandler() {
        return has(FN_SIGNAL);
    }

    @Override
    public int signal(MemorySegment frame, MemorySegment deliveries, int count) {
        return batch(FN_SIGNAL, frame, deliveries, count, DELIVERY);
    }

    @Override
    public boolean hasUnloadHook() {
        return has(FN_UNLOAD);
    }

    @Override
    public int unload(MemorySegment frame, MemorySegment instances, int count) {
        return batch(FN_UNLOAD, frame, instances, count, INSTANCE);
    }

    @Override
    public int healthCheck() {
        return has(FN_HEALTH) ? hook(FN_HEALTH, 0, 0, 0, 0) : 0;
    }

    @Override
    public boolean hasMigrateHook() {
        return has(FN_MIGRATE);
    }

    @Override
    public int migrate(MemorySegment newState, MemorySegment oldState, ScriptCode oldCode) {
        region.resetScratch();
        MemorySegment old = region.copyIn(oldState.reinterpret(oldCode.info().stateSize()), 16);
        List<ScriptInfo.StateField> oldFields = oldCode.info().stateFields();
        MemorySegment fields = FieldTable.write(oldFields, region::scratch);
        return hook(FN_MIGRATE, inRegion(newState), old.address(), fields.address(), oldFields.size());
    }

    @Override
    public boolean hasSerializeHook() {
        return has(FN_SERIALIZE);
    }

    @Override
    public boolean hasDeserializeHook() {
        return has(FN_DESERIALIZE);
    }

    @Override
    public int serialize(MemorySegment state, MemorySegment out, MemorySegment lengthOut) {
        region.resetScratch();
        MemorySegment blob = region.scratch(out.byteSize(), 16);
        MemorySegment length = region.scratch(4, 4);
        int status = hook(FN_SERIALIZE, inRegion(state), blob.address(), out.byteSize(), length.address());
        int written = length.get(JAVA_INT, 0);
        lengthOut.reinterpret(4).set(JAVA_INT, 0, written);
        if (written >= 0 && written <= out.byteSize()) MemorySegment.copy(blob, 0, out, 0, written);
        return status;
    }

    @Override
    public int deserialize(MemorySegment state, MemorySegment bytes, int length) {
        region.resetScratch();
        MemorySegment blob = region.copyIn(bytes.reinterpret(length), 16);
        return hook(FN_DESERIALIZE, inRegion(state), blob.address(), length, 0);
    }

    /** State handed to a hook must be this library's (in its region), never engine memory. */
    private long inRegion(MemorySegment state) {
        try {
            return ScriptInfoReader.inside(region.memory, state.address(), info.stateSize()).address();
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("State at 0x" + Long.toHexString(state.address())
                    + " is not in the isolated region of '" + info.name() + "'", e);
        }
    }

    @Override
    public FaultGuard.Fault lastFault() {
        return lastFault;
    }

    @Override
    public void stopCall(long nativeThread) {
        host.kill();
    }

    /**
     * One batch call: copies in, one request, copies back. Returns the call's status, or
     * STATUS_FAULT with {@link #lastFault()} set (a contained fault, or the host's end).
     */
    private int batch(int function, MemorySegment frame, MemorySegment items, int count, long stride) {
        if (endedHow != null) return ended();
        region.resetScratch();
        MemorySegment engineFrame = frame.reinterpret(Layouts.FRAME.byteSize());
        MemorySegment engineSnapshot = engineFrame.get(ADDRESS, FRAME_SNAPSHOT);
        MemorySegment engineCommands = engineFrame.get(ADDRESS, FRAME_COMMANDS).reinterpret(Layouts.COMMAND_BUFFER.byteSize());
        MemorySegment copyFrame = region.copyIn(engineFrame, 16);
        MemorySegment copySnapshot = SnapshotCopy.copy(engineSnapshot, region);
        // The host sees the free part of the engine's buffer as a buffer of its own, starting at
        // 0: its offsets are relative to the engine's end (before), so the region's
        // record area needs to hold one call's records, not the engine's whole (growable) buffer.
        int before = engineCommands.get(JAVA_INT, Layouts.BUFFER_USED);
        int free = Math.max(0, engineCommands.get(JAVA_INT, BUFFER_CAPACITY) - before);
        int capacity = (int) Math.min(free, region.commandCapacity);
        MemorySegment copyCommands = commandsIn(engineCommands, capacity);
        copyFrame.set(ADDRESS, FRAME_SNAPSHOT, copySnapshot);
        copyFrame.set(ADDRESS, FRAME_COMMANDS, copyCommands);
        copyFrame.set(ADDRESS, FRAME_PANIC, MemorySegment.NULL); // the host sets its own
        // The engine's container memory is not mapped in the host: the host sets its own heap.
        copyFrame.set(ADDRESS, FRAME_HEAP, MemorySegment.NULL);
        MemorySegment copyItems = region.copyIn(items.reinterpret(count * stride), 16);
        if (stride == DELIVERY) relocateSignals(copyItems, count);

        control.set(JAVA_INT, Region.OP, Region.OP_BATCH);
        control.set(JAVA_INT, Region.FUNCTION, function);
        control.set(JAVA_LONG, Region.ARGS, copyFrame.address());
        control.set(JAVA_LONG, Region.ARGS + 8, copyItems.address());
        control.set(JAVA_LONG, Region.ARGS + 16, count);
        boolean answered = host.request();
        if (answered && control.get(JAVA_LONG, Region.ARGS + 24) != 0) refusalsPending = true;
        // Even when the host ended mid-call, what it wrote so far names the culprit and holds
        // the records of the instances that finished: the runtime treats them as for any fault.
        int appended = commandsBack(copyCommands, engineCommands, before, capacity);
        outputsBack(copyItems, items.reinterpret(count * stride), count, stride, before, appended);
        SnapshotCopy.returnGridWanted(copySnapshot, engineSnapshot);
        return answered ? answer() : ended();
    }

    /**
     * A command buffer header in the region over the region's record area: the free part of the
     * engine's buffer, {@code capacity} bytes, empty (offsets relative to the engine's end).
     */
    private MemorySegment commandsIn(MemorySegment engine, int capacity) {
        MemorySegment copy = region.memory.asSlice(region.commandHeaderAt, Layouts.COMMAND_BUFFER.byteSize());
        copy.copyFrom(engine);
        copy.set(JAVA_INT, BUFFER_CAPACITY, capacity);
        copy.set(JAVA_INT, Layouts.BUFFER_USED, 0);
        copy.set(ADDRESS, BUFFER_DATA, region.memory.asSlice(region.commandDataAt, capacity));
        return copy;
    }

    /**
     * The records the call appended into the engine's buffer after its end ({@code before}):
     * region offset o becomes engine offset before + o. Every count is clamped: a host can only
     * add records within the room it was given ({@code capacity}, the engine's own figure, never
     * what the host left in its copy). Returns how many bytes it appended.
     */
    private int commandsBack(MemorySegment copy, MemorySegment engine, int before, int capacity) {
        int appended = Math.clamp(Integer.toUnsignedLong(copy.get(JAVA_INT, Layouts.BUFFER_USED)), 0, capacity);
        MemorySegment data = engine.get(ADDRESS, BUFFER_DATA).reinterpret((long) before + appended);
        MemorySegment.copy(region.memory, region.commandDataAt, data, before, appended);
        engine.set(JAVA_INT, Layouts.BUFFER_USED, before + appended);
        engine.set(JAVA_INT, Layouts.BUFFER_DROPPED,
                Math.max(engine.get(JAVA_INT, Layouts.BUFFER_DROPPED), copy.get(JAVA_INT, Layouts.BUFFER_DROPPED)));
        // Spawn ids only move forward, and by no more than the records could have taken (a
        // spawn record is far larger than 8 bytes): no host can wrap the engine's ids around.
        long id = engine.get(JAVA_LONG, BUFFER_REQUEST_ID);
        engine.set(JAVA_LONG, BUFFER_REQUEST_ID, Math.clamp(copy.get(JAVA_LONG, BUFFER_REQUEST_ID), id, id + appended / 8));
        return appended;
    }

    /**
     * Only the outputs of kiln_instance go back: cmd_offset, cmd_bytes, status, cmd_refused,
     * log_dropped. A range must lie within what this call appended, [0, {@code appended}) in the
     * host's view: one pointing elsewhere would replay or hide other scripts' records, so it
     * becomes an empty range at the engine's end {@code before}.
     */
    private static void outputsBack(MemorySegment copy, MemorySegment items, int count, long stride, int before,
                                    int appended) {
        for (int k = 0; k < count; k++) {
            long at = k * stride;
            long offset = Integer.toUnsignedLong(copy.get(JAVA_INT, at + Layouts.INSTANCE_CMD_OFFSET));
            long bytes = Integer.toUnsignedLong(copy.get(JAVA_INT, at + Layouts.INSTANCE_CMD_BYTES));
            boolean inside = offset + bytes <= appended;
            items.set(JAVA_INT, at + Layouts.INSTANCE_CMD_OFFSET, inside ? before + (int) offset : before);
            items.set(JAVA_INT, at + Layouts.INSTANCE_CMD_BYTES, inside ? (int) bytes : 0);
            items.set(JAVA_INT, at + Layouts.INSTANCE_STATUS, copy.get(JAVA_INT, at + Layouts.INSTANCE_STATUS));
            items.set(JAVA_INT, at + Layouts.INSTANCE_CMD_REFUSED, copy.get(JAVA_INT, at + Layouts.INSTANCE_CMD_REFUSED));
            items.set(JAVA_INT, at + Layouts.INSTANCE_LOG_DROPPED, copy.get(JAVA_INT, at + Layouts.INSTANCE_LOG_DROPPED));
        }
    }

    /** A delivery's signal name and payload point into engine memory: copy them in too. */
    private void relocateSignals(MemorySegment deliveries, int count) {
        for (int k = 0; k < count; k++) {
            long s = k * DELIVERY + SIGNAL_AT;
            int payloadSize = deliveries.get(JAVA_INT, s + 40);
            int nameLength = deliveries.get(JAVA_INT, s + 44);
            MemorySegment payload = deliveries.get(ADDRESS, s + 24);
            MemorySegment name = deliveries.get(ADDRESS, s + 32);
            if (!payload.equals(MemorySegment.NULL)) {
                deliveries.set(ADDRESS, s + 24, region.copyIn(payload.reinterpret(payloadSize), 8));
            }
            if (!name.equals(MemorySegment.NULL)) {
                deliveries.set(ADDRESS, s + 32, region.copyIn(name.reinterpret(nameLength), 8));
            }
        }
    }

    @Override
    public ContainerMemory containerMemory() {
        return containers;
    }

    /**
     * The host's own container memory (kiln_host.c, KILN_HOST_OP_HEAP): every request is a round
     * trip to the host, made between calls (attach, detach, a reload), never per element. A host
     * that ended answers nothing: its containers ended with it.
     */
    private final ContainerMemory containers = new ContainerMemory() {
        @Override
        public void setBudget(int instance, long bytes) {
            heapRequest(Region.HEAP_SET_BUDGET, instance, bytes, 0);
        }

        @Override
        public NativeHeap.Usage usage(int instance) {
            return usage(instance, false);
        }

        @Override
        public NativeHeap.Usage usage(int instance, boolean clearRefused) {
            if (heapRequest(Region.HEAP_USAGE, instance, clearRefused ? 1 : 0, 0) != 0) return new NativeHeap.Usage(0, 0, 0, 0, 0);
            long counts = control.get(JAVA_LONG, Region.ARGS + 16); // blocks | refused << 32
            return new NativeHeap.Usage(control.get(JAVA_LONG, Region.ARGS), control.get(JAVA_LONG, Region.ARGS + 8),
                    (int) counts, (int) (counts >>> 32), control.get(JAVA_LONG, Region.ARGS + 24));
        }

        /** Asks the host only when its last batch said a refusal waits: no round trip per frame. */
        @Override
        public NativeHeap.Refusals takeRefusals() {
            if (!refusalsPending) return new NativeHeap.Refusals(new int[0], 0);
            refusalsPending = false;
            region.resetScratch();
            MemorySegment out = region.scratch(4L * NativeHeap.REFUSALS_MAX, 8);
            if (heapRequest(Region.HEAP_TAKE_REFUSALS, out.address(), NativeHeap.REFUSALS_MAX, 0) != 0) {
                return new NativeHeap.Refusals(new int[0], 0);
            }
            int n = (int) Math.min(NativeHeap.REFUSALS_MAX, Math.max(0, control.get(JAVA_LONG, Region.ARGS)));
            int[] ids = new int[n];
            for (int k = 0; k < n; k++) ids[k] = out.getAtIndex(JAVA_INT, k);
            return new NativeHeap.Refusals(ids, (int) Math.min(Integer.MAX_VALUE, control.get(JAVA_LONG, Region.ARGS + 8)));
        }

        @Override
        public NativeHeap.Block block(long handle) {
            region.resetScratch();
            int status = heapRequest(Region.HEAP_READ, handle, 0, 0); // sizes only
            if (status != Status.BUFFER_TOO_SMALL.code() && status != 0) return null;
            long len = control.get(JAVA_LONG, Region.ARGS), size = control.get(JAVA_LONG, Region.ARGS + 8);
            long capacity = control.get(JAVA_LONG, Region.ARGS + 16);
            return new NativeHeap.Block((int) handle, (int) (handle >>> 32), (int) len, (int) capacity, (int) size, 0);
        }

        @Override
        public void freeInstance(int instance) {
            heapRequest(Region.HEAP_FREE_INSTANCE, instance, 0, 0);
        }

        @Override
        public byte[] elements(long handle, int elemSize) {
            return elements(handle, elemSize, Integer.MAX_VALUE);
        }

        @Override
        public byte[] elements(long handle, int elemSize, int maxCount) {
            region.resetScratch();
            int status = heapRequest(Region.HEAP_READ, handle, 0, 0); // sizes first
            if (status != Status.BUFFER_TOO_SMALL.code() && status != 0) return null;
            long len = Math.min(control.get(JAVA_LONG, Region.ARGS), Math.max(0, maxCount));
            long size = control.get(JAVA_LONG, Region.ARGS + 8);
            if (size != elemSize || len < 0 || len * size > MAX_ELEMENT_BYTES) return null;
            if (len == 0) return new byte[0];
            MemorySegment out = region.scratch(len * size, 16);
            // The host copies the whole elements that fit (BUFFER_TOO_SMALL when that is not all).
            status = heapRequest(Region.HEAP_READ, handle, out.address(), out.byteSize());
            if (status != Status.BUFFER_TOO_SMALL.code() && status != 0) return null;
            if (control.get(JAVA_LONG, Region.ARGS + 8) != size || control.get(JAVA_LONG, Region.ARGS) < len) return null;
            return out.toArray(ValueLayout.JAVA_BYTE);
        }

        @Override
        public long create(int instance, int elemSize, int count, byte[] bytes) {
            region.resetScratch();
            MemorySegment in = region.scratch(bytes.length, 16);
            MemorySegment.copy(bytes, 0, in, ValueLayout.JAVA_BYTE, 0, bytes.length);
            long sizes = Integer.toUnsignedLong(elemSize) | (Integer.toUnsignedLong(count) << 32);
            if (heapRequest(Region.HEAP_CREATE, instance, sizes, in.address()) != 0) return 0;
            return control.get(JAVA_LONG, Region.ARGS);
        }
    };

    /** Largest container the engine copies out of a host (a reload): far past any instance's budget. */
    private static final long MAX_ELEMENT_BYTES = 1L << 30;

    /** One KILN_HOST_OP_HEAP request; its status (a fault status when the host is gone). */
    private int heapRequest(int function, long a0, long a1, long a2) {
        if (endedHow != null) return FaultGuard.STATUS_FAULT;
        control.set(JAVA_INT, Region.OP, Region.OP_HEAP);
        control.set(JAVA_INT, Region.FUNCTION, function);
        control.set(JAVA_LONG, Region.ARGS, a0);
        control.set(JAVA_LONG, Region.ARGS + 8, a1);
        control.set(JAVA_LONG, Region.ARGS + 16, a2);
        control.set(JAVA_LONG, Region.ARGS + 24, 0);
        if (!host.request()) {
            ended();
            return FaultGuard.STATUS_FAULT;
        }
        return control.get(JAVA_INT, Region.STATUS);
    }

    private int hook(int function, long a0, long a1, long a2, long a3) {
        if (endedHow != null) return ended();
        control.set(JAVA_INT, Region.OP, Region.OP_HOOK);
        control.set(JAVA_INT, Region.FUNCTION, function);
        control.set(JAVA_LONG, Region.ARGS, a0);
        control.set(JAVA_LONG, Region.ARGS + 8, a1);
        control.set(JAVA_LONG, Region.ARGS + 16, a2);
        control.set(JAVA_LONG, Region.ARGS + 24, a3);
        return host.request() ? answer() : ended();
    }

    /** The host's status; for a contained fault, the fault with its trace named. */
    private int answer() {
        int status = control.get(JAVA_INT, Region.STATUS);
        if (status == FaultGuard.STATUS_FAULT) {
            MemorySegment fault = control.asSlice(Region.FAULT, Region.FAULT_BYTES);
            long base = control.get(JAVA_LONG, Region.LIBRARY_BASE);
            List<String> trace = new ArrayList<>();
            String file = path.getFileName().toString();
            for (long address : FaultGuard.traceAddresses(fault)) {
                String name = base == 0 ? null : FaultGuard.traceName(path, address - base);
                if (name != null) trace.add(name + " (" + file + ", isolated)");
            }
            lastFault = FaultGuard.read(fault, List.copyOf(trace));
        }
        return status;
    }

    /** The host is gone: every call from now on is a fault that stops the library. */
    private int ended() {
        if (endedHow == null) endedHow = host.howItEnded();
        lastFault = host.killed()
                ? new FaultGuard.Fault(FaultGuard.Kind.TIMEOUT, 0, 0, 0, "", "isolated host of " + file(), List.of())
                : new FaultGuard.Fault(FaultGuard.Kind.HOST_ENDED, 0, 0, 0,
                        "the isolated host process of '" + info.name() + "' ended (" + endedHow + ")", "", List.of());
        return FaultGuard.STATUS_FAULT;
    }

    private String file() {
        return path.getFileName().toString();
    }

    /** Ends the host; the region, and the State in it, is unmapped. */
    @Override
    public void close() {
        host.close();
    }
}
