package dev.kiln.engine;

import java.util.Locale;

/**
 * Timings of one frame: per phase, the script calls and the barrier after them (apply,
 * shutdowns, signal dispatch, publish), in nanoseconds.
 */
public record FrameStats(long frameIndex, long[] phaseNanos, long[] barrierNanos, long totalNanos,
                         long commandsApplied, int entities, int scriptInstances) {

    public String summary() {
        return String.format(Locale.ROOT,
                "frame %d: %.3f ms (pre %.3f | update %.3f | post %.3f | barriers %.3f), %d requests, %d entities, %d scripts",
                frameIndex, totalNanos / 1e6, phaseNanos[0] / 1e6, phaseNanos[1] / 1e6, phaseNanos[2] / 1e6,
                (barrierNanos[0] + barrierNanos[1] + barrierNanos[2]) / 1e6, commandsApplied, entities, scriptInstances);
    }
}
