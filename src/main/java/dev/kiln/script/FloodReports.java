package dev.kiln.script;

import dev.kiln.abi.Layouts;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Requests refused for the request quota and log lines dropped, per instance, gathered while a
 * phase's ranges are applied and reported at its barrier: one warning per flooding instance
 * naming script, entity and the exact counts; an instance over its quota in
 * {@code phasesToDisable} consecutive phases is disabled as a fault (docs/reliability.md,
 * "Request quota"). Frame thread.
 */
final class FloodReports {
    /** Disables an instance for a fault, with the reason its reports give. */
    interface Disabler {
        void disable(ScriptInstance instance, String reason);
    }

    /**
     * Counts since the last report, per instance, in the order they were applied: requests
     * refused, logs dropped, quota, signals refused past its share of the signal queue.
     */
    private final Map<ScriptInstance, long[]> floods = new LinkedHashMap<>();
    /** Calls skipped for room since the last report, per instance: the first one is logged at once, these count the rest. */
    private final Map<ScriptInstance, long[]> skipped = new LinkedHashMap<>();
    private int phasesToDisable = ScriptRuntime.DEFAULT_FLOOD_PHASES_TO_DISABLE;

    /** After how many consecutive flooding phases an instance is disabled (at least 1). */
    void setPhasesToDisable(int phases) {
        if (phases < 1) throw new IllegalArgumentException("flood phases to disable must be at least 1, found " + phases);
        phasesToDisable = phases;
    }

    void note(ScriptInstance instance, int quota, long refused, long logsDropped) {
        long[] counts = floods.computeIfAbsent(instance, i -> new long[4]);
        counts[0] += refused;
        counts[1] += logsDropped;
        counts[2] = quota;
    }

    /** One signal of {@code instance} refused: the shared part of the signal queue was full and it held its share. */
    void noteSignalRefused(ScriptInstance instance) {
        long[] counts = floods.computeIfAbsent(instance, i -> new long[4]);
        counts[2] = instance.requestQuota();
        counts[3]++;
    }

    /**
     * A call of {@code instance} skipped because the buffer had no room for its quota. True for the
     * first one since the last report, which the caller logs; the rest are counted and reported
     * as one line, since a signal handler receiving a million deliveries in one phase would
     * otherwise log a million identical lines.
     */
    boolean noteSkipped(ScriptInstance instance) {
        long[] count = skipped.get(instance);
        if (count == null) {
            skipped.put(instance, new long[1]);
            return true;
        }
        count[0]++;
        return false;
    }

    /** Reports what was noted since the last report (one line per instance) and forgets it. */
    void report(long frameIndex, LogSink log, Disabler disabler) {
        for (var e : skipped.entrySet()) {
            ScriptInstance i = e.getKey();
            long more = e.getValue()[0];
            if (more == 0) continue;
            log.log(new LogEntry(frameIndex, LogEntry.Level.WARN, i.scriptName(), i.entity(), i.entityName(),
                    "did not run " + more + (more == 1 ? " more time" : " more times") + " this phase, for the same reason"));
        }
        skipped.clear();
        if (floods.isEmpty()) return;
        for (var e : floods.entrySet()) {
            ScriptInstance i = e.getKey();
            long refused = e.getValue()[0], logsDropped = e.getValue()[1], quota = e.getValue()[2];
            long signalsRefused = e.getValue()[3];
            StringBuilder m = new StringBuilder();
            if (refused > 0) {
                m.append(refused).append(refused == 1 ? " request" : " requests").append(" refused this phase: over its request quota of ")
                        .append(quota).append(" bytes");
            }
            if (logsDropped > 0) {
                m.append(m.isEmpty() ? "" : "; ").append(logsDropped).append(logsDropped == 1 ? " log line" : " log lines")
                        .append(" dropped: over its quota and the ").append(Layouts.LOG_RESERVE_BYTES)
                        .append("-byte log reserve");
            }
            if (signalsRefused > 0) {
                m.append(m.isEmpty() ? "" : "; ").append(signalsRefused).append(signalsRefused == 1 ? " signal" : " signals")
                        .append(" refused this phase: past its share of the signal queue (")
                        .append(SignalBus.QUEUED_SIGNALS_MAX - SignalBus.KEPT_SIGNALS).append(" signals shared by all, then ")
                        .append(SignalBus.SMALL_SENDER_SIGNALS).append(" per sender)");
            }
            int streak = refused > 0 || signalsRefused > 0 ? i.noteFlood(frameIndex) : 0;
            if (streak > 1) m.append(" (").append(streak).append(" phases in a row)");
            log.log(new LogEntry(frameIndex, LogEntry.Level.WARN, i.scriptName(), i.entity(), i.entityName(), m.toString()));
            if (streak >= phasesToDisable && i.enabled() && i.lifecycle() != ScriptInstance.Lifecycle.DETACHED) {
                String reason = "request flood: over its request quota in " + streak + " consecutive phases";
                disabler.disable(i, reason);
                log.log(new LogEntry(frameIndex, LogEntry.Level.ERROR, i.scriptName(), i.entity(), i.entityName(),
                        "fault contained: " + reason + "; this instance is disabled until the script is reloaded"));
            }
        }
        floods.clear();
    }
}
