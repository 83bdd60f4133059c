package dev.kiln.ecs;

import java.util.Locale;

/**
 * What adding a component to an entity that already has it does, per component type (declared
 * with the schema: {@code "policy"} in a scene). Applied to scripts' requests by {@link World#addComponentWithPolicy}; the engine's own writes
 * (scenes, the inspector) always overwrite.
 */
public enum ComponentPolicy {
    /** Overwrite the whole component (the default, and what Kiln always did). */
    REPLACE,
    /** Write only the fields the request names in its field mask (mask 0: every field). */
    MERGE,
    /** Refuse the request: the present component stays ({@link Status#ALREADY_PRESENT}). */
    KEEP;

    /** "replace", as written in a scene. */
    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The policy spelled {@code text} ("replace", "merge", "keep"), or null. */
    public static ComponentPolicy parse(String text) {
        for (ComponentPolicy p : values()) if (p.spelling().equals(text)) return p;
        return null;
    }
}
