package dev.kiln.script;

import dev.kiln.dataplane.GrowableSegment;
import dev.kiln.abi.LibraryLoadException;
import dev.kiln.loader.FaultGuard;
import dev.kiln.loader.NativeLibrary;
import dev.kiln.loader.ScriptCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loaded script libraries by name (in load order), how a library's code is loaded (in the
 * engine's process or isolated in a host of its own), and the old versions swaps replaced,
 * closing off the frame thread ({@link RetiredLibraries}). Knows nothing of instances: the
 * runtime checks a library is unused before it {@link #remove}s it. Frame thread, except
 * {@link #loadCode} (a reload's loader thread) and {@link #library} (read by a swap's
 * preparation from any thread: a stale answer only means the swap works it out again).
 */
final class LibraryRegistry implements AutoCloseable {
    private final Map<String, ScriptLibrary> libraries = new LinkedHashMap<>();
    /** Old versions replaced by swaps, closing off the frame thread. */
    private final RetiredLibraries retired = new RetiredLibraries();
    private ScriptRuntime.IsolatedLoader isolatedLoader;
    /** The engine's fault guard the libraries loaded in its process call through (null: none). */
    private final FaultGuard guard;
    /** Moves whenever the set of running versions changes (see {@link #version}). */
    private int version;
    /** The running versions with container memory of their own, as of {@link #ownContainersVersion}. */
    private List<ScriptLibrary> ownContainers = List.of();
    private int ownContainersVersion = -1;

    LibraryRegistry(FaultGuard guard) {
        this.guard = guard;
    }

    void setIsolatedLoader(ScriptRuntime.IsolatedLoader loader) {
        this.isolatedLoader = loader;
    }

    /** Loads a library's code: in the engine's process, or isolated in a process of its own. */
    ScriptCode loadCode(Path libraryPath, boolean isolated) throws LibraryLoadException {
        retired.awaitClosed(libraryPath); // loading a path whose old version is still closing would get its mapping back
        if (!isolated) return NativeLibrary.load(libraryPath, guard);
        if (isolatedLoader == null) {
            throw new LibraryLoadException(LibraryLoadException.Reason.NOT_LOADABLE, libraryPath,
                    "isolated mode is not available in this runtime (no host program was set up)");
        }
        return isolatedLoader.start(libraryPath);
    }

    /** Loads a compiled script library; its name (from its metadata) must be new, else BAD_METADATA. */
    ScriptLibrary load(Path libraryPath, Path source, boolean isolated) throws LibraryLoadException {
        ScriptCode code = loadCode(libraryPath, isolated);
        String name = code.info().name();
        if (libraries.containsKey(name)) {
            code.close();
            throw new LibraryLoadException(LibraryLoadException.Reason.BAD_METADATA, libraryPath,
                    "a script named '" + name + "' is already loaded (from " + libraries.get(name).libraryPath() + ")");
        }
        ScriptLibrary library = new ScriptLibrary(code, source);
        libraries.put(name, library);
        version++;
        return library;
    }

    /** Script {@code name}'s running version, or null. */
    ScriptLibrary library(String name) {
        return libraries.get(name);
    }

    /** Every loaded library in load order (a read-only view). */
    Collection<ScriptLibrary> all() {
        return Collections.unmodifiableCollection(libraries.values());
    }

    /** Makes {@code library} script {@code name}'s running version (a swap's switch, a rehearsal's stand-in). */
    void put(String name, ScriptLibrary library) {
        libraries.put(name, library);
        version++;
    }

    /** Forgets {@code library} (the caller made sure nothing uses it and closes it). */
    void remove(ScriptLibrary library) {
        libraries.remove(library.name());
        version++;
    }

    /**
     * The running versions (in load order) whose code keeps container memory of its own (isolated
     * libraries: their hosts' heaps), worked out again only when {@link #version} moved: the
     * barrier asks every phase, and walking hundreds of in-process libraries to find none is a
     * per-library cost on every frame. Frame thread; the list is not to be changed.
     */
    List<ScriptLibrary> withOwnContainers() {
        if (ownContainersVersion != version) {
            List<ScriptLibrary> found = new ArrayList<>();
            for (ScriptLibrary l : libraries.values()) if (l.code().containerMemory() != null) found.add(l);
            ownContainers = List.copyOf(found);
            ownContainersVersion = version;
        }
        return ownContainers;
    }

    /** A number that moves whenever a running version is loaded, replaced or removed. */
    int version() {
        return version;
    }

    /**
     * Whether a running version reads the snapshot rows' positions: it does not declare
     * KILN_READS_POSITION_TABLE (a C script, a library built before the position table).
     */
    boolean readsRowPositions() {
        for (ScriptLibrary l : libraries.values()) {
            if (!l.info().readsPositionTable()) return true;
        }
        return false;
    }

    /** Closes {@code old} with its batches' {@code memory}: on this thread when {@code now}, else off the frame thread. */
    void close(ScriptLibrary old, List<GrowableSegment> memory, boolean now, ScriptReports reports) {
        if (now) {
            retired.closeNow(old, memory);
            retired.report(reports);
        } else {
            retired.retire(old, memory);
        }
    }

    /** Where swaps' old versions are closed (tests hold the closes back). */
    RetiredLibraries retired() {
        return retired;
    }

    /** Closes every version swaps replaced (first, before the runtime's memory goes). */
    void closeRetired() {
        retired.close();
    }

    /** Closes every running version, its State slab with it. */
    @Override
    public void close() {
        for (ScriptLibrary l : libraries.values()) l.close();
        libraries.clear();
        version++;
    }
}
