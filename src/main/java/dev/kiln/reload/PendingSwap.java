package dev.kiln.reload;

import dev.kiln.loader.ScriptCode;
import dev.kiln.script.PreparedSwap;
import java.nio.file.Path;

/**
 * A library loaded and checked off the frame thread, its swap prepared, waiting for the frame
 * boundary. {@code hash} null: read from the library; {@code reverting}: a step back in the
 * script's {@link VersionHistory}, which gave up {@code abandoned} (put back if the swap fails).
 * Times in nanoseconds ({@code noticed} a System.nanoTime reading).
 */
record PendingSwap(TrackedScript tracked, ScriptCode next, PreparedSwap prepared, Path library, String hash,
                   long buildNanos, long loadNanos, long noticed, boolean reverting, Path abandoned) {}
