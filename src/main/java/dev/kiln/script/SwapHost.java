package dev.kiln.script;

import dev.kiln.abi.CommandBuffer;
import dev.kiln.dataplane.FrameBlock;

/**
 * {@link LibrarySwap.Host} from the parts of the runtime a swap reaches: the library registry,
 * the instance registry's lifecycle queue, the phase tables, the frame its hooks run in and the
 * runtime's guard (every hook runs under the fault handler and watchdog of a script call).
 * Frame thread.
 */
final class SwapHost implements LibrarySwap.Host {
    private final LibraryRegistry libraries;
    private final InstanceRegistry instances;
    private final PhaseTables phaseTables;
    private final ScriptFrame frames;
    private final FrameBlock frame;
    private final CommandRanges ranges;
    private final CommandBuffer commands;
    private final ScriptReports reports;
    private final FaultRecovery.Context guard;

    SwapHost(LibraryRegistry libraries, InstanceRegistry instances, PhaseTables phaseTables, ScriptFrame frames,
             FrameBlock frame, CommandRanges ranges, CommandBuffer commands, ScriptReports reports,
             FaultRecovery.Context guard) {
        this.libraries = libraries;
        this.instances = instances;
        this.phaseTables = phaseTables;
        this.frames = frames;
        this.frame = frame;
        this.ranges = ranges;
        this.commands = commands;
        this.reports = reports;
        this.guard = guard;
    }

    @Override
    public void flushLifecycle() {
        frames.flushLifecycle();
    }

    @Override
    public void forgetLibrary(ScriptLibrary old, boolean now) {
        frames.forgetLibrary(old, now);
    }

    @Override
    public long frameIndex() {
        return frames.frameIndex();
    }

    @Override
    public double deltaTime() {
        return frames.deltaTime();
    }

    @Override
    public double time() {
        return frames.time();
    }

    @Override
    public ScriptLibrary library(String name) {
        return libraries.library(name);
    }

    @Override
    public void replaceLibrary(String name, ScriptLibrary fresh) {
        libraries.put(name, fresh);
        // Its instances switched all at once (no per-instance setter told the route tables): they
        // copy each receiver's library, so they are rebuilt before the next native use.
        instances.versionSwitched();
    }

    @Override
    public boolean awaitsShutdown(ScriptLibrary library) {
        return instances.awaitsShutdown(library);
    }

    @Override
    public void relinkPhaseTables(ScriptLibrary old, ScriptLibrary fresh, StateMoves moves) {
        phaseTables.relink(old, fresh, moves);
    }

    @Override
    public void logEngine(LogEntry.Level level, String message) {
        reports.logEngine(level, message);
    }

    @Override
    public void initAgain(ScriptInstance i) {
        instances.initAgain(i);
    }

    @Override
    public void phaseTableChanged(ScriptInstance i) {
        instances.phaseTableChanged(i);
    }

    @Override
    public FrameBlock frameBlock() {
        return frame;
    }

    @Override
    public CommandRanges commandRanges() {
        return ranges;
    }

    @Override
    public CommandBuffer commandBuffer() {
        return commands;
    }

    // A swap's hooks run under the runtime's guard, as every script call does.

    @Override
    public FaultRecovery.Handler handler() {
        return guard.handler();
    }

    @Override
    public Watchdog watchdog() {
        return guard.watchdog();
    }

    @Override
    public long nativeThread() {
        return guard.nativeThread();
    }

    @Override
    public int usedBytes() {
        return guard.usedBytes();
    }

    @Override
    public boolean makeRoom(long bytes) {
        return guard.makeRoom(bytes);
    }
}
