package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.World;
import dev.kiln.scene.LoadedScene;
import dev.kiln.scene.SceneLoader;
import dev.kiln.script.LogEntry;
import dev.kiln.script.ScriptInstance;
import dev.kiln.script.StateFields;
import dev.kiln.testing.TestEngine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** The demo a new user runs first: it loads, plays, and its scripts do what the README says. */
class DemoSceneTest {
    @Test
    void theDemoSpawnsChasesCatchesAndScores() throws Exception {
        try (TestEngine t = new TestEngine()) {
            LoadedScene scene = SceneLoader.load(t.engine, TestEngine.home().resolve("demo/scene.json"));
            World w = t.engine.world();
            long spawner = scene.entity("spawner");
            long scoreboard = scene.entity("scoreboard");
            assertThat(t.engine.scripts().scriptsOn(spawner)).extracting(ScriptInstance::scriptName)
                    .containsExactly("spawner", "mover", "spinner");
            t.run(1200);
            ScriptInstance spawnerScript = t.engine.scripts().scriptsOn(spawner).getFirst();
            assertThat((Long) StateFields.read(spawnerScript, "spawned")).isGreaterThan(70L); // 20 s at 4 per second
            // The scoreboard runs isolated (demo/scene.json): it counts catches through signals.
            assertThat(t.engine.scripts().library("scoreboard").isolated()).isTrue();
            assertThat(((VarValue.I64) w.getVar(scoreboard, "score")).value()).isGreaterThan(3);
            assertThat(w.findByTag("spark")).isNotEmpty();
            assertThat(t.logs).noneMatch(l -> l.level() != LogEntry.Level.INFO);
        }
    }

    @Test
    void theRunCommandPlaysTheDemoHeadless() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true));
            code = KilnCli.commandLine().execute("run", TestEngine.home().resolve("demo/scene.json").toString(),
                    "--frames", "120", "--summary-every", "60", "--build-dir", TestEngine.buildDir().toString());
        } finally {
            System.setOut(saved);
        }
        assertThat(code).isZero();
        assertThat(out.toString())
                .contains("loaded 6 entities and 6 scripts")
                .containsPattern("frame 119: [0-9.]+ ms \\(pre")
                .contains("kiln: 120 frames (2.0 s of game time)");
    }
}
