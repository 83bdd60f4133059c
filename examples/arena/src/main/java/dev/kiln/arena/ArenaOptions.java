package dev.kiln.arena;

import java.nio.file.Path;

/**
 * The arena's command line.
 *
 * @param scene       the scene file (scripts, prefabs, starting entities)
 * @param buildDir    where Kiln builds the scripts
 * @param frames      quit after this many frames (0: run until the window closes)
 * @param screenshot  where to save the last frame as a PNG (with --frames), or null
 * @param scripted    play the test's scripted input instead of the keyboard
 * @param development hot reload and the inspector on (the default; --no-dev turns them off)
 */
record ArenaOptions(Path scene, Path buildDir, long frames, Path screenshot, boolean scripted, boolean development) {
    static final String USAGE = "usage: arena [--scene FILE] [--build-dir DIR] [--frames N] [--screenshot FILE.png]"
            + " [--scripted] [--no-dev]";

    static ArenaOptions parse(String[] args) {
        Path scene = Path.of("scene.json");
        Path buildDir = Path.of("build");
        long frames = 0;
        Path screenshot = null;
        boolean scripted = false, development = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--scene" -> scene = Path.of(value(args, ++i));
                case "--build-dir" -> buildDir = Path.of(value(args, ++i));
                case "--frames" -> frames = frames(value(args, ++i));
                case "--screenshot" -> screenshot = Path.of(value(args, ++i));
                case "--scripted" -> scripted = true;
                case "--no-dev" -> development = false;
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
            }
        }
        return new ArenaOptions(scene, buildDir, frames, screenshot, scripted, development);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) throw new IllegalArgumentException(args[i - 1] + " needs a value\n" + USAGE);
        return args[i];
    }

    private static long frames(String text) {
        try {
            long n = Long.parseLong(text);
            if (n >= 0) return n;
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("--frames wants a whole number of frames, 0 or more, not '" + text + "'");
    }
}
