package dev.kiln.cli;

import dev.kiln.engine.FrameTime;
import picocli.CommandLine;

/**
 * The ranges of `kiln run`'s numbers, checked before anything is built or started so a
 * wrong number is one line naming the option, never a run that misbehaves.
 */
final class RunOptionBounds {
    /** 0 is "real time until Ctrl-C"; a negative count has no meaning (it used to run forever). */
    static final int MIN_FRAMES = 0;
    /** A summary every 0 frames divides by zero; every frame is the most often that makes sense. */
    static final int MIN_SUMMARY_EVERY = 1;
    /** 0 asks the system for any free port; 65535 is the largest TCP port. */
    static final int MIN_PORT = 0;
    static final int MAX_PORT = 65_535;

    private RunOptionBounds() {}

    static void check(CommandLine cli, int frames, Double dt, int summaryEvery, int inspectorPort) {
        if (frames < MIN_FRAMES) {
            throw bad(cli, "--frames must be " + MIN_FRAMES + " (real time until Ctrl-C) or more, found " + frames);
        }
        if (dt != null && FrameTime.problem(dt) != null) throw bad(cli, "--dt " + FrameTime.problem(dt));
        if (summaryEvery < MIN_SUMMARY_EVERY) {
            throw bad(cli, "--summary-every must be at least " + MIN_SUMMARY_EVERY + ", found " + summaryEvery);
        }
        if (inspectorPort < MIN_PORT || inspectorPort > MAX_PORT) {
            throw bad(cli, "--inspector-port must be between " + MIN_PORT + " (any free port) and " + MAX_PORT
                    + ", found " + inspectorPort);
        }
    }

    private static CommandLine.ParameterException bad(CommandLine cli, String message) {
        return new CommandLine.ParameterException(cli, message);
    }
}
