package dev.kiln.loader;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.abi.FieldTable;
import dev.kiln.abi.Layouts;
import dev.kiln.abi.LibraryLoadException;
import dev.kiln.abi.ScriptInfo;
import dev.kiln.abi.ScriptInfoReader;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One loaded script library: its arena (closing it unloads the library), its checked metadata,
 * and downcall handles for the batch exports. Everything of one library version lives in its
 * arena, so a refused or replaced library leaves nothing behind.
 */
public final class NativeLibrary implements ScriptCode {
    public static final String EXPORT_INFO = "kiln_script_metadata";
    public static final String EXPORT_INIT = "kiln_script_init";
    public static final String EXPORT_UPDATE = "kiln_script_update";
    public static final String EXPORT_SHUTDOWN = "kiln_script_shutdown";
    public static final String EXPORT_SIGNAL = "kiln_script_signal";
    /** The compact form of the signal handlers (kiln_signal_batch), optional. */
    public static final String EXPORT_SIGNAL_BATCH = "kiln_script_signal_batch";
    /** The signal handlers over lane deliveries (rounds routed from the signal lane), optional. */
    public static final String EXPORT_SIGNAL_LANE = "kiln_script_signal_lane";
    public static final String EXPORT_HEALTH = "kiln_script_health";
    public static final String EXPORT_MIGRATE = "kiln_script_migrate";
    public static final String EXPORT_UNLOAD = "kiln_script_unload";
    public static final String EXPORT_SERIALIZE = "kiln_script_serialize";
    public static final String EXPORT_DESERIALIZE = "kiln_script_deserialize";
    private static final List<String> HOOKS =
            List.of(EXPORT_HEALTH, EXPORT_MIGRATE, EXPORT_SERIALIZE, EXPORT_DESERIALIZE);
    /** Hooks are called as int(long, long, long, long): unused argument registers are ignored. */
    private static final FunctionDescriptor GENERIC =
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    public static final List<String> REQUIRED_EXPORTS =
            List.of(EXPORT_INFO, EXPORT_INIT, EXPORT_UPDATE, EXPORT_SHUTDOWN);

    /** Bytes a serialize hook may write for one State (KILN_STATE_BLOB_MAX). */
    public static final int STATE_BLOB_MAX = 65536;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final FunctionDescriptor BATCH =
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);

    private final Path path;
    private final Arena arena;
    private final ScriptInfo info;
    private final MethodHandle init;
    private final MethodHandle update;
    private final MethodHandle shutdown;
    private final MethodHandle signal;
    /** Raw addresses of init, update, shutdown, signal (null when absent): what the guard calls. */
    private final MemorySegment[] functions;
    /** The engine's fault guard every call goes through; null: calls run unguarded. */
    private final FaultGuard guard;

    private NativeLibrary(Path path, Arena arena, ScriptInfo info, FaultGuard guard, MethodHandle init,
                          MethodHandle update, MethodHandle shutdown, MethodHandle signal) {
        this.path = path;
        this.guard = guard;
        this.arena = arena;
        this.info = info;
        this.init = init;
        this.update = update;
        this.shutdown = shutdown;
        this.signal = signal;
        this.functions = new MemorySegment[7];
    }

    private static final int FN_INIT = 0, FN_UPDATE = 1, FN_SHUTDOWN = 2, FN_SIGNAL = 3, FN_UNLOAD = 4,
            FN_SIGNAL_BATCH = 5, FN_SIGNAL_LANE = 6;
    private MethodHandle unload;
    private MethodHandle signalBatch;
    private MethodHandle signalLane;
    private final Map<String, MemorySegment> hookSymbols = new HashMap<>();

    /**
     * Loads and checks a library whose calls go through {@code guard} (the engine's; null: they
     * run unguarded, and a panic or crash ends the process). On any refusal the library is
     * unloaded before throwing.
     */
    public static NativeLibrary load(Path path, FaultGuard guard) throws LibraryLoadException {
        ElfCheck.requireLoadable(path);
        Arena arena = Arena.ofShared();
        try {
            SymbolLookup lookup;
            try {
                lookup = SymbolLookup.libraryLookup(path, arena);
            } catch (IllegalArgumentException e) {
                throw new LibraryLoadException(LibraryLoadException.Reason.NOT_LOADABLE, path,
                        "not a loadable shared library for this machine (truncated, corrupt or wrong architecture)");
            }
            List<String> missing = new ArrayList<>();
            for (String name : REQUIRED_EXPORTS) if (lookup.find(name).isEmpty()) missing.add(name);
            if (!missing.isEmpty()) throw LibraryLoadException.missingExports(path, missing);
            MemorySegment raw = callMetadata(path, lookup.find(EXPORT_INFO).orElseThrow());
            ScriptInfo info = ScriptInfoReader.read(path, raw, ScriptInfoReader.IN_PROCESS);
            NativeLibrary library = new NativeLibrary(path, arena, info, guard,
                    batch(lookup, EXPORT_INIT), batch(lookup, EXPORT_UPDATE), batch(lookup, EXPORT_SHUTDOWN),
                    optional(lookup, EXPORT_SIGNAL, BATCH));
            library.functions[FN_INIT] = lookup.find(EXPORT_INIT).orElseThrow();
            library.functions[FN_UPDATE] = lookup.find(EXPORT_UPDATE).orElseThrow();
            library.functions[FN_SHUTDOWN] = lookup.find(EXPORT_SHUTDOWN).orElseThrow();
            library.functions[FN_SIGNAL] = lookup.find(EXPORT_SIGNAL).orElse(null);
            library.functions[FN_UNLOAD] = lookup.find(EXPORT_UNLOAD).orElse(null);
            library.unload = optional(lookup, EXPORT_UNLOAD, BATCH);
            // Compact only beside the classic handler: the engine may use either (abi/kiln.h).
            if (library.signal != null) {
                library.functions[FN_SIGNAL_BATCH] = lookup.find(EXPORT_SIGNAL_BATCH).orElse(null);
                library.signalBatch = optional(lookup, EXPORT_SIGNAL_BATCH, BATCH);
            }
            // Lane batches only beside the compact ones: a round the lane route gives up on goes to those.
            if (library.signalBatch != null) {
                library.functions[FN_SIGNAL_LANE] = lookup.find(EXPORT_SIGNAL_LANE).orElse(null);
                library.signalLane = optional(lookup, EXPORT_SIGNAL_LANE, BATCH);
            }
            for (String hook : HOOKS) lookup.find(hook).ifPresent(symbol -> library.hookSymbols.put(hook, symbol));
            return library;
        } catch (LibraryLoadException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static MethodHandle optional(SymbolLookup lookup, String name, FunctionDescriptor descriptor) {
        Optional<MemorySegment> symbol = lookup.find(name);
        return symbol.map(s -> LINKER.downcallHandle(s, descriptor)).orElse(null);
    }

    private static MethodHandle batch(SymbolLookup lookup, String name) {
        return LINKER.downcallHandle(lookup.find(name).orElseThrow(), BATCH);
    }

    /** Calls kiln_script_metadata(); the struct it returns, sized to kiln_script_info. */
    private static MemorySegment callMetadata(Path path, MemorySegment symbol) throws LibraryLoadException {
        MemorySegment raw;
        try {
            raw = (MemorySegment) LINKER.downcallHandle(symbol, FunctionDescriptor.of(ADDRESS)).invokeExact();
        } catch (Throwable t) {
            throw new LibraryLoadException(LibraryLoadException.Reason.BAD_METADATA, path,
                    "kiln_script_metadata() failed: " + t);
        }
        if (raw.equals(MemorySegment.NULL)) {
            throw new LibraryLoadException(LibraryLoadException.Reason.BAD_METADATA, path, "kiln_script_metadata() returned NULL");
        }
        return raw.reinterpret(Layouts.SCRIPT_INFO.byteSize());
    }

    public Path path() {
        return path;
    }

    public ScriptInfo info() {
        return info;
    }

    /** The library's arena: State allocated here dies with the library. */
    @Override
    public SegmentAllocator stateAllocator() {
        return arena;
    }

    public boolean hasSignalHandler() {
        return signal != null;
    }

    /**
     * The batch calls. Under an installed {@link FaultGuard} they return
     * {@link FaultGuard#STATUS_FAULT} when the script faulted (see {@link FaultGuard#lastFault()}).
     */
    public int init(MemorySegment frame, MemorySegment instances, int count) {
        return call(init, FN_INIT, frame, instances, count);
    }

    public int update(MemorySegment frame, MemorySegment instances, int count) {
        return call(update, FN_UPDATE, frame, instances, count);
    }

    public int shutdown(MemorySegment frame, MemorySegment instances, int count) {
        return call(shutdown, FN_SHUTDOWN, frame, instances, count);
    }

    public int signal(MemorySegment frame, MemorySegment deliveries, int count) {
        return call(signal, FN_SIGNAL, frame, deliveries, count);
    }

    @Override
    public boolean hasSignalBatch() {
        return signalBatch != null;
    }

    @Override
    public int signalBatch(MemorySegment frame, MemorySegment batch, int count) {
        return call(signalBatch, FN_SIGNAL_BATCH, frame, batch, count);
    }

    @Override
    public boolean hasSignalLane() {
        return signalLane != null;
    }

    @Override
    public int signalLane(MemorySegment frame, MemorySegment batch, int count) {
        return call(signalLane, FN_SIGNAL_LANE, frame, batch, count);
    }

    public boolean hasUnloadHook() {
        return unload != null;
    }

    /** The optional per-instance unload hook of a library being replaced by hot reload. */
    public int unload(MemorySegment frame, MemorySegment instances, int count) {
        return call(unload, FN_UNLOAD, frame, instances, count);
    }

    /** The library's health check status code, or KILN_OK when it has none. */
    public int healthCheck() {
        return hookSymbols.containsKey(EXPORT_HEALTH) ? hook(EXPORT_HEALTH, 0, 0, 0, 0) : 0;
    }

    public boolean hasMigrateHook() {
        return hookSymbols.containsKey(EXPORT_MIGRATE);
    }

    /** Calls the author's migrate hook for one instance (new State already migrated by name). */
    @Override
    public int migrate(MemorySegment newState, MemorySegment oldState, ScriptCode oldCode) {
        try (Arena scratch = Arena.ofConfined()) {
            List<ScriptInfo.StateField> oldFields = oldCode.info().stateFields();
            MemorySegment table = FieldTable.write(oldFields, scratch);
            return hook(EXPORT_MIGRATE, newState.address(), oldState.address(), table.address(), oldFields.size());
        }
    }

    public boolean hasSerializeHook() {
        return hookSymbols.containsKey(EXPORT_SERIALIZE);
    }

    public boolean hasDeserializeHook() {
        return hookSymbols.containsKey(EXPORT_DESERIALIZE);
    }

    /** The author's serialize hook: writes {@code state} into {@code out}; the length goes to {@code lengthOut}. */
    public int serialize(MemorySegment state, MemorySegment out, MemorySegment lengthOut) {
        return hook(EXPORT_SERIALIZE, state.address(), out.address(), out.byteSize(), lengthOut.address());
    }

    public int deserialize(MemorySegment state, MemorySegment bytes, int length) {
        return hook(EXPORT_DESERIALIZE, state.address(), bytes.address(), length, 0);
    }

    /**
     * Calls an optional hook of up to four integer/pointer arguments, under the library's fault
     * guard when it has one (a panic or crash returns {@link FaultGuard#STATUS_FAULT}).
     */
    private int hook(String export, long a0, long a1, long a2, long a3) {
        MemorySegment symbol = hookSymbols.get(export);
        if (guard != null) return guard.callGeneric(symbol, a0, a1, a2, a3);
        try {
            return (int) LINKER.downcallHandle(symbol, GENERIC).invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw new IllegalStateException(export + " failed", t);
        }
    }

    private int call(MethodHandle handle, int function, MemorySegment frame, MemorySegment items, int count) {
        // Guarded, kiln_guard_call itself takes back the call's ctx.frameAllocator() memory.
        if (guard != null) return guard.call(functions[function], frame, items, count);
        try {
            return (int) handle.invokeExact(frame, items, count);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("script batch call failed", t);
        } finally {
            NativeHeap.afterCall(frame); // ctx.frameAllocator() memory lasts one call
        }
    }

    @Override
    public FaultGuard.Fault lastFault() {
        return guard == null ? null : guard.lastFault();
    }

    @Override
    public void stopCall(long nativeThread) {
        if (guard != null) guard.interrupt(nativeThread);
    }

    /** Unloads the library: its code and everything allocated in its arena disappear. */
    @Override
    public void close() {
        arena.close();
        ElfSymbols.forget(path);
    }

    @Override
    public String unloadProblem() {
        return UnloadCheck.stillMapped(path);
    }
}
