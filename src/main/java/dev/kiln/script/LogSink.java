package dev.kiln.script;

/** Where log entries go (console, a test's list, the inspector). Called on the frame thread. */
@FunctionalInterface
public interface LogSink {
    void log(LogEntry entry);

    static LogSink console() {
        return e -> (e.level() == LogEntry.Level.INFO ? System.out : System.err).println(e);
    }
}
