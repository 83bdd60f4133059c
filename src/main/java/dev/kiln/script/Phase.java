package dev.kiln.script;

import java.util.Locale;

/** The frame phases scripts run in (kiln_phase), in frame order. */
public enum Phase {
    PRE_UPDATE(0),
    UPDATE(1),
    POST_UPDATE(2);

    /** Lifecycle and dispatch calls are tagged with these kiln_phase codes. */
    public static final int CODE_INIT = 3;
    public static final int CODE_SHUTDOWN = 4;
    public static final int CODE_SIGNAL = 5;
    public static final int CODE_UNLOAD = 6;

    public final int code;

    Phase(int code) {
        this.code = code;
    }

    public static Phase ofCode(int code) {
        for (Phase p : values()) if (p.code == code) return p;
        return null;
    }

    /** "pre_update", "update", "post_update": the scene-file spelling. */
    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Phase parse(String text) {
        for (Phase p : values()) if (p.spelling().equals(text)) return p;
        return null;
    }
}
