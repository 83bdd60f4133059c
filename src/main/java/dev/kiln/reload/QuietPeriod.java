package dev.kiln.reload;

import java.time.Duration;

/**
 * How long a script's files must stay quiet after a change before its build starts. An
 * editor's save either ends with a rename over the file (an atomic save: the file is complete
 * the moment it appears, so a few milliseconds cover the events that arrive with it) or writes
 * the file in place (truncate, then write: more writes may follow, so it waits longer). A save
 * that still looks half-written after that is held by {@link TransientSave}; a newer save
 * during the build stops it and builds the latest content.
 *
 * @param afterWrite  quiet after a file was written in place or deleted
 * @param afterRename quiet after a file was renamed over (or created with its content)
 */
public record QuietPeriod(Duration afterWrite, Duration afterRename) {
    /** Quiet after an in-place write: editors write a small script in one or two calls, well within it. */
    public static final Duration SETTLE_AFTER_WRITE = Duration.ofMillis(25);
    /** Quiet after a rename: only the events of the same save (a metadata change) can follow. */
    public static final Duration SETTLE_AFTER_RENAME = Duration.ofMillis(2);

    /** Settle detection, the default of development runs. */
    public static QuietPeriod settleDetection() {
        return new QuietPeriod(SETTLE_AFTER_WRITE, SETTLE_AFTER_RENAME);
    }

    /** The same quiet period whatever the change (the former fixed debounce; tests use it). */
    public static QuietPeriod fixed(Duration quiet) {
        return new QuietPeriod(quiet, quiet);
    }

    Duration after(boolean renamedIn) {
        return renamedIn ? afterRename : afterWrite;
    }
}
