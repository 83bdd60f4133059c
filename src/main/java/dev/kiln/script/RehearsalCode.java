package dev.kiln.script;

import dev.kiln.abi.ScriptInfo;
import dev.kiln.ecs.Status;
import dev.kiln.loader.FaultGuard;
import dev.kiln.loader.ScriptCode;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.nio.file.Path;

/**
 * A library version with no native code, for {@link SwapRehearsal}: it describes a State as a
 * script's metadata does, keeps its States in an arena of its own, and answers every call with
 * KILN_OK without running anything. No script's code runs in a rehearsal: a real library's
 * globals are shared by every load of its file, and its hooks may have effects of their own.
 */
final class RehearsalCode implements ScriptCode {
    private static final Path PATH = Path.of("swap-rehearsal");

    private final ScriptInfo info;
    /** Shared, as a real library's is: the swap path sees the memory it will see for real. */
    private final Arena arena = Arena.ofShared();

    RehearsalCode(ScriptInfo info) {
        this.info = info;
    }

    @Override
    public Path path() {
        return PATH;
    }

    @Override
    public ScriptInfo info() {
        return info;
    }

    @Override
    public SegmentAllocator stateAllocator() {
        return arena;
    }

    @Override
    public int init(MemorySegment frame, MemorySegment instances, int count) {
        return Status.OK.code();
    }

    @Override
    public int update(MemorySegment frame, MemorySegment instances, int count) {
        return Status.OK.code();
    }

    @Override
    public int shutdown(MemorySegment frame, MemorySegment instances, int count) {
        return Status.OK.code();
    }

    @Override
    public boolean hasSignalHandler() {
        return false;
    }

    @Override
    public int signal(MemorySegment frame, MemorySegment deliveries, int count) {
        return Status.OK.code();
    }

    @Override
    public boolean hasUnloadHook() {
        return false;
    }

    @Override
    public int unload(MemorySegment frame, MemorySegment instances, int count) {
        return Status.OK.code();
    }

    @Override
    public int healthCheck() {
        return Status.OK.code();
    }

    @Override
    public boolean hasMigrateHook() {
        return false;
    }

    @Override
    public int migrate(MemorySegment newState, MemorySegment oldState, ScriptCode oldCode) {
        return Status.OK.code();
    }

    @Override
    public boolean hasSerializeHook() {
        return false;
    }

    @Override
    public boolean hasDeserializeHook() {
        return false;
    }

    @Override
    public int serialize(MemorySegment state, MemorySegment out, MemorySegment lengthOut) {
        return Status.OK.code();
    }

    @Override
    public int deserialize(MemorySegment state, MemorySegment bytes, int length) {
        return Status.OK.code();
    }

    @Override
    public FaultGuard.Fault lastFault() {
        return null;
    }

    @Override
    public void stopCall(long nativeThread) {
        // nothing runs long: no call to stop
    }

    @Override
    public void close() {
        arena.close();
    }
}
