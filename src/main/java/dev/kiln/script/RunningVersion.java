package dev.kiln.script;

/**
 * Which version of one script runs now: every instance of the script reads its library through
 * this one object, and every version of the script shares it, so a hot-reload swap switches all
 * of the script's instances with one write instead of one per instance (10,000 instance objects
 * written, ≈ 0.2 ms of the swap frame, measured). Frame thread, except that a swap's preparation
 * makes a version holding it on the loading thread (it writes nothing here).
 */
final class RunningVersion {
    private ScriptLibrary library;
    /**
     * How many of the script's attached instances need more than the switch at a swap (a fault to
     * clear, an init to run again: {@link ScriptInstance#needsCare}), kept by the instances as
     * they change, so a body edit's swap need not read every instance object to find out.
     */
    private int needingCare;

    /** {@code library} runs (null: a synthetic instance's, in a warm-up). */
    RunningVersion(ScriptLibrary library) {
        this.library = library;
    }

    ScriptLibrary library() {
        return library;
    }

    int needingCare() {
        return needingCare;
    }

    /** An attached instance started ({@code +1}) or stopped ({@code -1}) needing care, or came or left needing it. */
    void careChanged(int delta) {
        needingCare += delta;
    }

    /** A swap's switch: {@code next} runs for every instance of the script from now on. */
    void switchTo(ScriptLibrary next) {
        library = next;
    }
}
