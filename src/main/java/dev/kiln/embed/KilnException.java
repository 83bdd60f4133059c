package dev.kiln.embed;

/**
 * A setup step of the embedding API failed: a scene that does not parse or build, a script
 * that does not compile or load, no Zig, an inspector port in use. The message says what failed
 * and where (a scene error is {@code file:line:col: field: problem}, a build error carries the
 * compiler's diagnostics) and what to do; the cause is the engine's own exception. Per-frame
 * and per-entity calls never throw this: they return a {@link dev.kiln.ecs.Status}.
 */
public final class KilnException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A failure with its located message and the engine's exception underneath. */
    public KilnException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A failure found by the embedding layer itself (no engine exception underneath). */
    public KilnException(String message) {
        super(message);
    }
}
