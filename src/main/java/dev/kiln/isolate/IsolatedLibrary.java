package dev.kiln.isolate;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.abi.FieldTable;
import dev.kiln.abi.Layouts;
import dev.kiln.abi.LibraryLoadException;
import dev.kiln.abi.ScriptInfo;
import dev.kiln.abi.ScriptInfoReader;
import dev.kiln.loader.ContainerMemory;
import dev.kiln.loader.ElfCheck;
import dev.kiln.loader.FaultGuard;
import dev.kiln.loader.NativeLibrary;
import dev.kiln.loader.ScriptCode;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
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
 *
 * <p>This class starts the host and checks its library, and adapts {@link ScriptCode}'s calls;
 * the copies and their clamps are {@link BatchCopy}'s, the request protocol and fault
 * translation {@link HostCalls}', the host's container memory {@link HostContainers}'.
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
    private static final long INSTANCE = BatchCopy.INSTANCE;
    private static final long DELIVERY = BatchCopy.DELIVERY;
    /** Longest a host may take to start and load its library. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Path path;
    private final HostProcess host;
    private final Region region;
    private final ScriptInfo info;
    private final int exports;
    private final HostCalls calls;
    private final BatchCopy copies;
    private final HostContainers containers;

    private IsolatedLibrary(Path path, HostProcess host, Region region, ScriptInfo info, int exports) {
        this.path = path;
        this.host = host;
        this.region = region;
        this.info = info;
        this.exports = exports;
        this.calls = new HostCalls(host, region.memory.asSlice(Region.CONTROL, Region.FAULT + Region.FAULT_BYTES), path,
                info.name());
        this.copies = new BatchCopy(region);
        this.containers = new HostContainers(calls, region);
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
        return has(FN_HEALTH) ? calls.hook(FN_HEALTH, 0, 0, 0, 0) : 0;
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
        return calls.hook(FN_MIGRATE, inRegion(newState), old.address(), fields.address(), oldFields.size());
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
        int status = calls.hook(FN_SERIALIZE, inRegion(state), blob.address(), out.byteSize(), length.address());
        int written = length.get(JAVA_INT, 0);
        lengthOut.reinterpret(4).set(JAVA_INT, 0, written);
        if (written >= 0 && written <= out.byteSize()) MemorySegment.copy(blob, 0, out, 0, written);
        return status;
    }

    @Override
    public int deserialize(MemorySegment state, MemorySegment bytes, int length) {
        region.resetScratch();
        MemorySegment blob = region.copyIn(bytes.reinterpret(length), 16);
        return calls.hook(FN_DESERIALIZE, inRegion(state), blob.address(), length, 0);
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
        return calls.lastFault();
    }

    @Override
    public void stopCall(long nativeThread) {
        calls.stop();
    }

    /**
     * One batch call: copies in, one request, copies back. Returns the call's status, or
     * STATUS_FAULT with {@link #lastFault()} set (a contained fault, or the host's end).
     */
    private int batch(int function, MemorySegment frame, MemorySegment items, int count, long stride) {
        if (calls.ended()) return calls.endedFault();
        BatchCopy.Call call = copies.in(frame, items, count, stride);
        calls.setArgs(call.frame().address(), call.items().address(), count, 0);
        boolean answered = calls.send(Region.OP_BATCH, function);
        if (answered && calls.answerArg(3) != 0) containers.refusalsPending();
        copies.back(call);
        return answered ? calls.answer() : calls.endedFault();
    }

    @Override
    public ContainerMemory containerMemory() {
        return containers;
    }

    /** Ends the host; the region, and the State in it, is unmapped. */
    @Override
    public void close() {
        host.close();
    }
}
