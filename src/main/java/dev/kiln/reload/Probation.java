package dev.kiln.reload;

import dev.kiln.script.ScriptInstance;
import dev.kiln.script.ScriptLibrary;
import dev.kiln.script.ScriptRuntime;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Keep-last-good: a freshly swapped version is on probation for a number of frames; a runtime
 * fault of any of its instances in that window (a contained panic, crash, hang or flood) means
 * it goes back to the version that ran before. Two rollbacks in a row pause the script's
 * automatic reloads until its own source is saved. Checked on the frame thread; synchronized
 * because a save (on the watcher's thread) resets the count.
 */
final class Probation {
    /** Two seconds at 60 Hz: long enough for an edit's first few updates and signals to run. */
    static final int DEFAULT_FRAMES = 120;
    /** Rollbacks in a row after which auto-reload of the script pauses. */
    static final int ROLLBACKS_TO_PAUSE = 2;

    /** A fault found in a version on probation: roll {@code script} back. */
    record Verdict(String script, String reason, long framesRun, boolean pause) {}

    private record Trial(long startFrame, ScriptLibrary library) {}

    private final Map<String, Trial> trials = new HashMap<>();
    private final Map<String, Integer> rollbacksInARow = new HashMap<>();
    private volatile int frames = DEFAULT_FRAMES;

    void setFrames(int frames) {
        if (frames < 0) throw new IllegalArgumentException("probation frames must be >= 0, got " + frames);
        this.frames = frames;
    }

    int frames() {
        return frames;
    }

    /** {@code library}, just swapped in for {@code script} at {@code frame}, starts its probation. */
    synchronized void start(String script, ScriptLibrary library, long frame) {
        if (frames > 0) trials.put(script, new Trial(frame, library));
    }

    /** A save or revert by the author ends any probation and forgives earlier rollbacks. */
    synchronized void forget(String script) {
        trials.remove(script);
        rollbacksInARow.remove(script);
    }

    /**
     * Checks every version on probation at {@code frame}; returns the first that faulted (its
     * probation ends), or null. Versions that ran their window without a fault pass.
     */
    synchronized Verdict check(ScriptRuntime scripts, long frame) {
        for (Iterator<Map.Entry<String, Trial>> it = trials.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Trial> e = it.next();
            Trial trial = e.getValue();
            if (scripts.library(e.getKey()) != trial.library()) { // swapped again meanwhile
                it.remove();
                continue;
            }
            String fault = faultOf(trial.library());
            if (fault != null) {
                it.remove();
                int rollbacks = rollbacksInARow.merge(e.getKey(), 1, Integer::sum);
                return new Verdict(e.getKey(), fault, frame - trial.startFrame(), rollbacks >= ROLLBACKS_TO_PAUSE);
            }
            if (frame - trial.startFrame() >= frames) {
                it.remove();
                rollbacksInARow.remove(e.getKey()); // a version that held: the streak is over
            }
        }
        return null;
    }

    private static String faultOf(ScriptLibrary library) {
        if (library.poisoned()) return library.poisonedBy();
        ScriptInstance i = library.lastFaulted(); // no scan of every instance on every frame
        boolean stopped = i != null && i.fault() != null && i.library() == library
                && i.lifecycle() != ScriptInstance.Lifecycle.DETACHED;
        return stopped ? i.fault() + " (in " + i + ")" : null;
    }
}
