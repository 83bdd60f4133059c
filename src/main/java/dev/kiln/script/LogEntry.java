package dev.kiln.script;

import dev.kiln.ecs.Entities;

/** One log line: from a script (tagged with its name and entity) or from the engine. */
public record LogEntry(long frame, Level level, String script, long entity, String message) {
    public enum Level { INFO, WARN, ERROR }

    public static final String ENGINE = "engine";

    @Override
    public String toString() {
        String who = entity == Entities.NULL ? script : script + " @ " + Entities.format(entity);
        return "[frame " + frame + "] " + level + " " + who + ": " + message;
    }
}
