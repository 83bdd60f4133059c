package dev.kiln.script;

import dev.kiln.ecs.Entities;
import dev.kiln.ecs.EntityLabel;

/**
 * One log line: from a script (tagged with its name and entity) or from the engine.
 * {@code entityName} is the entity's scene name when it had one as the line was logged (the
 * world forgets it when the entity is despawned), so the line still names it later.
 */
public record LogEntry(long frame, Level level, String script, long entity, String entityName, String message) {
    public enum Level { INFO, WARN, ERROR }

    public static final String ENGINE = "engine";

    /** A line about an entity without a name (or about none). */
    public LogEntry(long frame, Level level, String script, long entity, String message) {
        this(frame, level, script, entity, null, message);
    }

    /** "1v1 (rocket)", or null for a line about no entity. */
    public String entityLabel() {
        return entity == Entities.NULL ? null : EntityLabel.of(entity, entityName);
    }

    @Override
    public String toString() {
        String who = entity == Entities.NULL ? script : script + " @ " + entityLabel();
        return "[frame " + frame + "] " + level + " " + who + ": " + message;
    }
}
