package dev.kiln.engine;

import java.util.Locale;

/**
 * The bounds of one frame's time step ({@code --dt}, a scene's {@code fixed_dt},
 * {@link Engine#step}): a step outside them is refused where it is given, so velocity
 * integration and scripts only ever see a finite, positive, bounded time.
 */
public final class FrameTime {
    /**
     * Exclusive lower bound: a step of 0 (or less) freezes or reverses time, and scripts divide
     * by their delta time (speed = distance / dt).
     */
    public static final double SECONDS_EXCLUSIVE_MIN = 0.0;
    /**
     * One second: far above any real frame (60 Hz is 0.0167 s), far below where position +
     * velocity * dt leaves the range a float keeps precise for gameplay.
     */
    public static final double SECONDS_MAX = 1.0;

    private FrameTime() {}

    /** Null when {@code seconds} is a valid step, else why not (with the value), for any caller. */
    public static String problem(double seconds) {
        if (!Double.isFinite(seconds)) return "must be a finite number of seconds, found " + text(seconds);
        if (!(seconds > SECONDS_EXCLUSIVE_MIN) || seconds > SECONDS_MAX) {
            return "must be greater than " + text(SECONDS_EXCLUSIVE_MIN) + " and at most " + text(SECONDS_MAX)
                    + " seconds (1/60 = 0.0166667 is one frame at 60 Hz), found " + text(seconds);
        }
        return null;
    }

    /** {@code seconds} if valid; an IllegalArgumentException (a caller's bug) otherwise. */
    public static double check(double seconds) {
        String problem = problem(seconds);
        if (problem != null) throw new IllegalArgumentException("a frame's time step " + problem);
        return seconds;
    }

    private static String text(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.format(Locale.ROOT, "%.0f", v);
        return Double.toString(v);
    }
}
