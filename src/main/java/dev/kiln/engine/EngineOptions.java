package dev.kiln.engine;

import dev.kiln.abi.CommandBuffer;
import dev.kiln.build.ScriptCompiler;
import dev.kiln.script.LogSink;
import dev.kiln.script.ScriptRuntime;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Engine settings.
 *
 * @param buildDir           where script libraries and Zig caches go
 * @param cellSize           spatial grid cell edge, in world units (about a typical query radius)
 * @param commandBufferBytes bytes of requests scripts may post per phase
 * @param mode               optimize mode of script builds
 * @param log                where script and engine log lines go
 * @param faultGuard         run script calls under the fault guard (panics, crashes and hangs
 *                           are contained); off only to measure the guard's own cost
 * @param callBudget         longest one script batch call may run before the watchdog stops it
 * @param isolatedMemoryLimit bytes of address space an isolated script's host may use beyond
 *                           its shared region (its allocations past it fail); 0: no limit
 * @param requestQuotaBytes  bytes of requests one script instance may post per phase (per hook
 *                           call) unless its scene entry says otherwise; the excess is refused
 *                           and reported (docs/reliability.md, "Request quota")
 * @param floodPhasesToDisable an instance over its quota in this many consecutive phases is
 *                           disabled as a fault
 * @param memoryBudgetBytes  bytes of engine memory (kiln.List / String / Map elements) one script
 *                           instance may hold unless its scene entry says otherwise; growing past
 *                           it is error.OutOfMemory for the script, logged with script and entity
 *                           (docs/scripting.md, "Memory in scripts")
 * @param recording          record a development run for rewind and replay once a scene is loaded
 *                           (docs/rewind.md); on by default, off for a run that needs none of it
 *                           (a benchmark of millions of frames would spend the recording's budget).
 *                           A release run never records, whatever this says
 */
public record EngineOptions(Path buildDir, float cellSize, int commandBufferBytes, ScriptCompiler.Mode mode,
                            LogSink log, boolean faultGuard, Duration callBudget, long isolatedMemoryLimit,
                            int requestQuotaBytes, int floodPhasesToDisable, long memoryBudgetBytes,
                            boolean recording) {
    /**
     * A generous development budget: a batch of 10k instances takes tens of microseconds, a
     * debugger-free hang is caught within half a second.
     */
    public static final Duration DEFAULT_CALL_BUDGET = Duration.ofMillis(500);
    /** 1 GiB: far more than a script's own data needs, far less than a runaway allocation takes. */
    public static final long DEFAULT_ISOLATED_MEMORY_LIMIT = 1L << 30;

    public static EngineOptions defaults() {
        return new EngineOptions(Path.of("build"), 4f, CommandBuffer.DEFAULT_CAPACITY_BYTES,
                ScriptCompiler.Mode.RELEASE_SAFE, LogSink.console(), true, DEFAULT_CALL_BUDGET,
                DEFAULT_ISOLATED_MEMORY_LIMIT);
    }

    /** The options before request quotas existed: the default quota and flood limit. */
    public EngineOptions(Path buildDir, float cellSize, int commandBufferBytes, ScriptCompiler.Mode mode,
                         LogSink log, boolean faultGuard, Duration callBudget, long isolatedMemoryLimit) {
        this(buildDir, cellSize, commandBufferBytes, mode, log, faultGuard, callBudget, isolatedMemoryLimit,
                CommandBuffer.DEFAULT_REQUEST_QUOTA_BYTES, ScriptRuntime.DEFAULT_FLOOD_PHASES_TO_DISABLE);
    }

    /** The options before memory budgets existed: the default budget. */
    public EngineOptions(Path buildDir, float cellSize, int commandBufferBytes, ScriptCompiler.Mode mode,
                         LogSink log, boolean faultGuard, Duration callBudget, long isolatedMemoryLimit,
                         int requestQuotaBytes, int floodPhasesToDisable) {
        this(buildDir, cellSize, commandBufferBytes, mode, log, faultGuard, callBudget, isolatedMemoryLimit,
                requestQuotaBytes, floodPhasesToDisable, ScriptRuntime.DEFAULT_MEMORY_BUDGET_BYTES);
    }

    /** The options before the recording switch existed: a development run records. */
    public EngineOptions(Path buildDir, float cellSize, int commandBufferBytes, ScriptCompiler.Mode mode,
                         LogSink log, boolean faultGuard, Duration callBudget, long isolatedMemoryLimit,
                         int requestQuotaBytes, int floodPhasesToDisable, long memoryBudgetBytes) {
        this(buildDir, cellSize, commandBufferBytes, mode, log, faultGuard, callBudget, isolatedMemoryLimit,
                requestQuotaBytes, floodPhasesToDisable, memoryBudgetBytes, true);
    }

    /**
     * Whether a development run records itself for rewind and replay (docs/rewind.md); {@code
     * false}: the engine has no recorder, as in a release run, and costs nothing for it.
     */
    public EngineOptions withRecording(boolean on) {
        return new EngineOptions(buildDir, cellSize, commandBufferBytes, mode, log, faultGuard, callBudget,
                isolatedMemoryLimit, requestQuotaBytes, floodPhasesToDisable, memoryBudgetBytes, on);
    }

    /** True when the engine records: a development run with {@link #recording} on. */
    public boolean records() {
        return recording && development();
    }

    /** The default memory budget of one script instance (bytes); the scene may set it per script. */
    public EngineOptions withMemoryBudgetBytes(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("a memory budget cannot be negative, found " + bytes);
        return new EngineOptions(buildDir, cellSize, commandBufferBytes, mode, log, faultGuard, callBudget,
                isolatedMemoryLimit, requestQuotaBytes, floodPhasesToDisable, bytes, recording);
    }

    /**
     * A release run (`kiln run --release`): scripts built ReleaseFast, and none of the
     * development features — no hot reload, no inspector edits (see {@link #development}).
     */
    public EngineOptions release() {
        return new EngineOptions(buildDir, cellSize, commandBufferBytes, ScriptCompiler.Mode.RELEASE_FAST, log, faultGuard,
                callBudget, isolatedMemoryLimit, requestQuotaBytes, floodPhasesToDisable, memoryBudgetBytes, recording);
    }

    /**
     * True unless this is a release run (scripts built ReleaseFast): only development runs
     * watch sources, hot-reload and accept inspector edits.
     */
    public boolean development() {
        return mode != ScriptCompiler.Mode.RELEASE_FAST;
    }

    /** Script builds in {@code newMode} (development runs: {@link ScriptCompiler.Mode#DEVELOPMENT}). */
    public EngineOptions withMode(ScriptCompiler.Mode newMode) {
        return new EngineOptions(buildDir, cellSize, commandBufferBytes, newMode, log, faultGuard, callBudget,
                isolatedMemoryLimit, requestQuotaBytes, floodPhasesToDisable, memoryBudgetBytes, recording);
    }

    /** The default request quota (bytes per instance per phase); the scene may set it per script. */
    public EngineOptions withRequestQuotaBytes(int bytes) {
        return new EngineOptions(buildDir, cellSize, commandBufferBytes, mode, log, faultGuard, callBudget,
                isolatedMemoryLimit, bytes, floodPhasesToDisable, memoryBudgetBytes, recording);
    }

    public EngineOptions withFloodPhasesToDisable(int phases) {
        return new EngineOptions(buildDir, cellSize, commandBufferBytes, mode, log, faultGuard, callBudget,
                isolatedMemoryLimit, requestQuotaBytes, phases, memoryBudgetBytes, recording);
    }

    public EngineOptions withBuildDir(Path dir) {
        return new EngineOptions(dir, cellSize, commandBufferBytes, mode, log, faultGuard, callBudget,
                isolatedMemoryLimit, requestQuotaBytes, floodPhasesToDisable, memoryBudgetBytes, recording);
    }

    public EngineOptions withLog(LogSink sink) {
        return new EngineOptions(buildDir, cellSize, commandBufferBytes, mode, sink, faultGuard, callBudget,
                isolatedMemoryLimit, requestQuotaBytes, floodPhasesToDisable, memoryBudgetBytes, recording);
    }

    public EngineOptions withCellSize(float size) {
        return new EngineOptions(buildDir, size, commandBufferBytes, mode, log, faultGuard, callBudget,
                isolatedMemoryLimit, requestQuotaBytes, floodPhasesToDisable, memoryBudgetBytes, recording);
    }

    public EngineOptions withCommandBufferBytes(int bytes) {
        return new EngineOptions(buildDir, cellSize, bytes, mode, log, faultGuard, callBudget,
                isolatedMemoryLimit, requestQuotaBytes, floodPhasesToDisable, memoryBudgetBytes, recording);
    }

    public EngineOptions withCallBudget(Duration budget) {
        return new EngineOptions(buildDir, cellSize, commandBufferBytes, mode, log, faultGuard, budget,
                isolatedMemoryLimit, requestQuotaBytes, floodPhasesToDisable, memoryBudgetBytes, recording);
    }

    public EngineOptions withFaultGuard(boolean on) {
        return new EngineOptions(buildDir, cellSize, commandBufferBytes, mode, log, on, callBudget,
                isolatedMemoryLimit, requestQuotaBytes, floodPhasesToDisable, memoryBudgetBytes, recording);
    }

    public EngineOptions withIsolatedMemoryLimit(long bytes) {
        return new EngineOptions(buildDir, cellSize, commandBufferBytes, mode, log, faultGuard, callBudget, bytes,
                requestQuotaBytes, floodPhasesToDisable, memoryBudgetBytes, recording);
    }
}
