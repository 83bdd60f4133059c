package dev.kiln.bench;

import dev.kiln.script.LogEntry;
import dev.kiln.script.LogSink;

/**
 * Log sink of a benchmark engine. Benchmark scripts are written never to log, so any line means
 * the benchmark measures something else than it claims (dropped requests, a failing script):
 * {@link #requireQuiet} turns that into a failed run instead of a wrong figure.
 */
final class BenchLog implements LogSink {
    private long entries;
    private LogEntry first;

    @Override
    public void log(LogEntry entry) {
        if (first == null) first = entry;
        entries++;
    }

    void requireQuiet(String where) {
        if (entries > 0) {
            throw new IllegalStateException(where + ": the engine logged " + entries + " line(s), first: " + first);
        }
    }
}
