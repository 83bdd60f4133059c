package dev.kiln.inspector;

import dev.kiln.script.LogEntry;
import dev.kiln.script.LogSink;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A LogSink tee: every entry goes on to the console (or wherever it went before) and into a
 * bounded ring the inspector's console reads. The frame thread only appends under a short lock;
 * it never waits on a client.
 */
public final class LogRing implements LogSink {
    /** Enough for a few minutes of a chatty scene; older lines are dropped first. */
    public static final int CAPACITY = 5_000;

    /** One line with its sequence number (clients ask for lines after the last one they saw). */
    public record Line(long seq, long frame, String level, String script, String entity, String message) {}

    private final LogSink next;
    private final ArrayDeque<Line> lines = new ArrayDeque<>();
    private long seq;

    public LogRing(LogSink next) {
        this.next = next;
    }

    @Override
    public void log(LogEntry e) {
        next.log(e);
        String entity = e.entityLabel(); // "1v1 (rocket)": the handle and the scene's name
        synchronized (lines) {
            lines.addLast(new Line(++seq, e.frame(), e.level().name(), e.script(), entity, e.message()));
            if (lines.size() > CAPACITY) lines.removeFirst();
        }
    }

    /** Lines with a sequence number above {@code after}, oldest first, at most {@code max}. */
    public List<Line> after(long after, int max) {
        List<Line> out = new ArrayList<>();
        synchronized (lines) {
            for (Line l : lines) if (l.seq() > after) out.add(l);
        }
        return out.size() <= max ? out : out.subList(out.size() - max, out.size());
    }
}
