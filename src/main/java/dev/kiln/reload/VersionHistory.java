package dev.kiln.reload;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The library files of one script that ran successfully, oldest first, the running one last:
 * what {@link HotReloadManager#revert} and keep-last-good go back to, and what pruning keeps.
 * Bounded: at most {@link #VERSIONS_KEPT}, the oldest forgotten first, so a long session of
 * saves holds a fixed number of paths. Any thread.
 */
final class VersionHistory {
    /** Versions remembered per script: the ones build/libs keeps besides the running one (LibraryPruner). */
    static final int VERSIONS_KEPT = LibraryPruner.RECENT_VERSIONS_KEPT;

    /** A step back: the version given up and the one to run again. */
    record StepBack(Path current, Path previous) {}

    private final Deque<Path> versions = new ArrayDeque<>();

    /** A history whose only version is {@code running}. */
    VersionHistory(Path running) {
        versions.add(running);
    }

    /** {@code library} ran successfully (a swap to it, or a revert given up and put back): the newest. */
    synchronized void add(Path library) {
        versions.add(library);
        while (versions.size() > VERSIONS_KEPT) versions.removeFirst();
    }

    /** Gives up the newest version for the one before it; null, nothing changed, when there is none before it. */
    synchronized StepBack stepBack() {
        if (versions.size() < 2) return null;
        Path current = versions.removeLast();
        return new StepBack(current, versions.peekLast());
    }

    /** The versions, oldest first: a copy (what pruning keeps on disk, read at the swap). */
    synchronized List<Path> list() {
        return List.copyOf(versions);
    }

    synchronized int size() {
        return versions.size();
    }
}
