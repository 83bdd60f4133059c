package dev.kiln.arena;

import com.badlogic.gdx.backends.lwjgl3.Lwjgl3Application;
import com.badlogic.gdx.backends.lwjgl3.Lwjgl3ApplicationConfiguration;

/** Starts the arena in a desktop window (LWJGL3). */
public final class ArenaMain {
    private ArenaMain() {}

    public static void main(String[] args) {
        ArenaOptions options;
        try {
            options = ArenaOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("arena: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null) {
            System.err.println("arena: no display (DISPLAY is not set): run it in a desktop session, or under"
                    + " Xvfb: xvfb-run -a -s \"-screen 0 1280x720x24\" ./kiln example arena");
            System.exit(2);
        }
        Lwjgl3ApplicationConfiguration config = new Lwjgl3ApplicationConfiguration();
        config.setTitle("Kiln arena — arrows/WASD move, space fires");
        config.setWindowedMode(Arena.WINDOW_WIDTH, Arena.WINDOW_HEIGHT);
        config.setResizable(false);
        config.disableAudio(true); // no sound in this game, and none on a headless machine
        if (options.frames() > 0) {
            config.useVsync(false); // a test run: as fast as it goes
            config.setForegroundFPS(0);
        } else {
            config.useVsync(true);
            config.setForegroundFPS(60);
        }
        ArenaGame game = new ArenaGame(options);
        new Lwjgl3Application(game, config); // returns when the window closes or the game exits
        if (game.failed()) System.exit(1);
    }
}
