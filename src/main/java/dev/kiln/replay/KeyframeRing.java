package dev.kiln.replay;

import dev.kiln.engine.Engine;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Iterator;

/**
 * Keyframes of one run, oldest first, within a heap budget: the oldest go first when it is
 * spent, except the scene's start (frame 0), since rewinding to the start is common and
 * without it costs a scene load. Used by a replay ({@link Replay}) and by the live run
 * ({@link LiveRewind}). Frame thread.
 */
final class KeyframeRing {
    private final ArrayDeque<Keyframe> keyframes = new ArrayDeque<>();
    private final long budgetBytes;
    private long bytes;
    /** Keyframes holding each shared part ({@link Keyframe#shared}): its bytes count once, while any holds it. */
    private final IdentityHashMap<Object, Integer> holders = new IdentityHashMap<>();

    KeyframeRing(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /** The newest keyframe's frame, or -1 when none is held. */
    long newestFrame() {
        return keyframes.isEmpty() ? -1 : keyframes.peekLast().frame;
    }

    /** Adds {@code k} (newer than every keyframe held), dropping the oldest past the budget. */
    void add(Keyframe k) {
        keyframes.addLast(k);
        count(k);
        while (bytes > budgetBytes && keyframes.size() > 2) {
            Keyframe first = keyframes.removeFirst();
            if (first.frame == 0) {
                uncount(keyframes.removeFirst());
                keyframes.addFirst(first);
            } else {
                uncount(first);
            }
        }
    }

    private void count(Keyframe k) {
        bytes += k.bytes;
        if (holders.merge(k.shared(), 1, Integer::sum) == 1) bytes += k.sharedBytes();
    }

    private void uncount(Keyframe k) {
        bytes -= k.bytes;
        if (holders.merge(k.shared(), -1, Integer::sum) == 0) {
            holders.remove(k.shared());
            bytes -= k.sharedBytes();
        }
    }

    /** The newest keyframe at or before {@code frame} that {@code engine} can take with its code swapped to the keyframe's when {@code sameCode} is false. */
    Keyframe nearest(long frame, Engine engine, boolean sameCode) {
        for (Iterator<Keyframe> it = keyframes.descendingIterator(); it.hasNext(); ) {
            Keyframe k = it.next();
            if (k.frame <= frame && k.restorableInto(engine, sameCode)) return k;
        }
        return null;
    }

    /** Drops keyframes after {@code frame}: the run they were taken on left the recording by then. */
    void dropAfter(long frame) {
        while (!keyframes.isEmpty() && keyframes.peekLast().frame > frame) uncount(keyframes.removeLast());
    }

    long[] frames() {
        return keyframes.stream().mapToLong(k -> k.frame).toArray();
    }

    long bytes() {
        return bytes;
    }
}
