package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.ecs.Entities;
import dev.kiln.engine.FrameTime;
import dev.kiln.scene.LoadedScene;
import dev.kiln.scene.SceneLoader;
import dev.kiln.script.LogEntry;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run stays finite: a huge velocity holds its entity with one warning naming it; bad steps are refused. */
class FiniteRunTest {
    @TempDir
    Path dir;

    @Test
    void aHugeVelocityHoldsTheEntityWithOneWarningNamingIt() throws Exception {
        Path scene = dir.resolve("rocket.json");
        Files.writeString(scene, """
                {"kiln_scene": 1, "settings": {"fixed_dt": 1.0},
                 "entities": [{"name": "rocket", "velocity": [3e38, 0, 0]}]}
                """);
        try (TestEngine t = new TestEngine()) {
            LoadedScene loaded = SceneLoader.load(t.engine, scene);
            t.engine.run(10, loaded.scene().settings().fixedDt());
            long rocket = loaded.entity("rocket");
            assertThat(t.engine.world().position(rocket).x()).isFinite();
            assertThat(t.logs).filteredOn(l -> l.level() == LogEntry.Level.WARN).singleElement().asString()
                    .contains("engine @ " + Entities.format(rocket) + " (rocket): stays where it is");
        }
    }

    @Test
    void theEngineRefusesAStepOutsideItsBounds() {
        try (TestEngine t = new TestEngine()) {
            for (double dt : new double[] {Double.NaN, Double.POSITIVE_INFINITY, -1, 0, FrameTime.SECONDS_MAX * 2, 1e40}) {
                assertThatThrownBy(() -> t.engine.step(dt)).as("dt " + dt).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("a frame's time step must be");
            }
            assertThat(t.engine.step(FrameTime.SECONDS_MAX)).isNotNull();
        }
    }
}
