package dev.kiln.cli;

import dev.kiln.engine.FrameTime;
import picocli.CommandLine;

/**
 * The ranges of `kiln run`'s numbers, checked before anything is built or started so a
 * wrong number is one line naming the option, never a run that misbehaves.
 */
final class RunOptionBounds {
    /** 0 is "real time until Ctrl-C"; a negative count has no meaning (it used to run forever). */
    static final int FRAMES_MIN = 0;
    /** A summary every 0 frames divides by zero; every frame is the most often that makes sense. */
    static final int SUMMARY_EVERY_MIN = 1;
    /** 0 asks the system for any free port; 65535 is the largest TCP port. */
    static final int PORT_MIN = 0;
    static final int PORT_MAX = 65_535;

    private RunOptionBounds() {}

    static void check(CommandLine cli, int frames, Double dt, int summaryEvery, int inspectorPort) {
        if (frames < FRAMES_MIN) {
            throw bad(cli, "--frames must be " + FRAMES_MIN + " (real time until Ctrl-C) or more, found " + frames);
        }
        if (dt != null && FrameTime.problem(dt) != null) throw bad(cli, "--dt " + FrameTime.problem(dt));
        if (summaryEvery < SUMMARY_EVERY_MIN) {
            throw bad(cli, "--summary-every must be at least " + SUMMARY_EVERY_MIN + ", found " + summaryEvery);
        }
        if (inspectorPort < PORT_MIN || inspectorPort > PORT_MAX) {
            throw bad(cli, "--inspector-port must be between " + PORT_MIN + " (any free port) and " + PORT_MAX
                    + ", found " + inspectorPort);
        }
    }

    private static CommandLine.ParameterException bad(CommandLine cli, String message) {
        return new CommandLine.ParameterException(cli, message);
    }
}
