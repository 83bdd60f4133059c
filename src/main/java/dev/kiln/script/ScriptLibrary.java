package dev.kiln.script;

import dev.kiln.abi.ScriptCode;
import dev.kiln.abi.ScriptInfo;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;

/** A script the runtime has loaded: its native library and the State memory of its instances. */
public final class ScriptLibrary {
    private final ScriptCode code;
    private final StateSlab states;
    private final Path source;
    private boolean warnedNoSignalHandler;
    /** Set when the watchdog stopped this library: it is not called again until reloaded. */
    private String poisonedBy;
    /** Nanoseconds spent in this library's batch calls since load (frame thread only). */
    private long callNanos;

    ScriptLibrary(ScriptCode code, Path source) {
        this.code = code;
        this.source = source;
        ScriptInfo info = code.info();
        this.states = new StateSlab(code.stateAllocator(), info.stateSize(), info.stateAlign());
    }

    public String name() {
        return code.info().name();
    }

    public ScriptInfo info() {
        return code.info();
    }

    /** Source file it was built from, or null for a prebuilt library. */
    public Path source() {
        return source;
    }

    public Path libraryPath() {
        return code.path();
    }

    public Phase defaultPhase() {
        Phase p = Phase.ofCode(info().defaultPhase());
        return p == null ? Phase.UPDATE : p;
    }

    public boolean poisoned() {
        return poisonedBy != null;
    }

    /** Why the library was stopped, or null. */
    public String poisonedBy() {
        return poisonedBy;
    }

    /** Total time in this library's calls since it was loaded (read on the frame thread). */
    public long callNanos() {
        return callNanos;
    }

    void addCallNanos(long nanos) {
        callNanos += nanos;
    }

    void poison(String reason) {
        poisonedBy = reason;
    }

    /** True when the library runs in a host process of its own (isolated mode). */
    public boolean isolated() {
        return code.isolated();
    }

    ScriptCode code() {
        return code;
    }

    StateSlab states() {
        return states;
    }

    /**
     * Read-only views of the memory this library's instances keep their States in (slab chunks
     * of 1024 slots, in allocation order; free slots hold a detached instance's last State or
     * zeros): a frame hash reads every State in bulk from these rather than one by one
     * (docs/rewind.md). Frame thread, between frames.
     */
    public List<MemorySegment> stateChunks() {
        return states.chunks();
    }

    /** True the first time only, so a missing signal handler is reported once. */
    boolean firstMissingSignalHandler() {
        boolean first = !warnedNoSignalHandler;
        warnedNoSignalHandler = true;
        return first;
    }

    @Override
    public String toString() {
        return name();
    }
}
