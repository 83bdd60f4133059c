package dev.kiln.bench.compare;

import dev.kiln.engine.Engine;
import dev.kiln.scene.Scene;
import dev.kiln.scene.SceneException;
import dev.kiln.scene.SceneLoader;
import java.nio.file.Path;

/**
 * The demo scene (demo/scene.json) as a comparison workload: loaded as {@code ./kiln run}
 * loads it, with neither the inspector nor the source watcher (they are not part of the frame
 * the target is about); its isolated scoreboard runs in its host process as in the demo.
 */
final class DemoScene {
    private DemoScene() {}

    static Path file() {
        return CompareSupport.home().resolve("demo/scene.json");
    }

    /** The scene's settings (cell size, budgets), applied to the engine options as the CLI does. */
    static Scene.Settings settings() {
        try {
            return SceneLoader.readSettings(file());
        } catch (SceneException e) {
            throw new IllegalStateException("cannot read " + file() + ": " + e.getMessage(), e);
        }
    }

    static void load(Engine engine) {
        try {
            SceneLoader.load(engine, file());
        } catch (SceneException e) {
            throw new IllegalStateException("cannot load " + file() + ": " + e.getMessage(), e);
        }
    }
}
