package dev.kiln.scene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.ecs.ComponentSchema;
import dev.kiln.ecs.Entities;
import dev.kiln.ecs.NameHash;
import dev.kiln.ecs.Quat;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.Vec3;
import dev.kiln.ecs.World;
import dev.kiln.engine.EngineOptions;
import dev.kiln.script.LogEntry;
import dev.kiln.script.Phase;
import dev.kiln.script.ScriptInstance;
import dev.kiln.testing.TestEngine;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A good scene, src/test/resources/scenes/arena.json, loaded and run with real compiled scripts. */
class SceneLoadTest {
    private static final Path ARENA = TestEngine.home().resolve("src/test/resources/scenes/arena.json");

    private static TestEngine engineFor(Path scene) throws SceneException {
        return new TestEngine(SceneLoader.readSettings(scene).applyTo(EngineOptions.defaults()));
    }

    @Test
    void settingsComeFromTheFile() throws SceneException {
        Scene.Settings settings = SceneLoader.readSettings(ARENA);
        assertThat(settings.cellSize()).isEqualTo(8f);
        assertThat(settings.fixedDt()).isEqualTo(0.02);
        assertThat(settings.applyTo(EngineOptions.defaults()).cellSize()).isEqualTo(8f);
    }

    @Test
    void aScriptDeclaredIsolatedRunsInAHostProcessOfItsOwn(@TempDir Path dir)
            throws Exception {
        Files.copy(TestEngine.example("mover.zig"), dir.resolve("mover.zig"));
        Path scene = dir.resolve("isolated.json");
        Files.writeString(scene, """
                { "kiln_scene": 1,
                  "scripts": { "mover": { "source": "mover.zig", "isolated": true } },
                  "entities": [ { "name": "m", "vars": { "speed": 60.0 },
                                  "scripts": [ { "script": "mover" } ] } ] }
                """);
        try (TestEngine t = engineFor(scene)) {
            LoadedScene loaded = SceneLoader.load(t.engine, scene);
            assertThat(loaded.libraries()).singleElement().satisfies(l -> assertThat(l.isolated()).isTrue());
            t.run(3);
            assertThat(t.engine.world().position(loaded.entity("m")).x()).isEqualTo(3f, within(1e-5f));
            assertThat(t.logs).isEmpty();
        }
    }

    @Test
    void entitiesGetTransformTagsComponentsVarsAndScriptsInPriorityOrder() throws SceneException {
        try (TestEngine t = engineFor(ARENA)) {
            LoadedScene scene = SceneLoader.load(t.engine, ARENA);
            World w = t.engine.world();
            assertThat(w.aliveCount()).isEqualTo(3);
            assertThat(scene.libraries()).extracting(l -> l.name())
                    .containsExactly("mover", "tally", "prefab_spawner", "nudge");

            long player = scene.entity("player");
            assertThat(w.findByName("player")).isEqualTo(player);
            assertThat(w.position(player)).isEqualTo(new Vec3(0, 1, 2));
            assertThat(w.rotation(player)).isEqualTo(Quat.IDENTITY); // [0, 0, 0, 2] normalized
            assertThat(w.scale(player)).isEqualTo(new Vec3(2, 2, 2));
            assertThat(w.tagsOf(player)).containsExactlyInAnyOrder("ship", "player");
            assertThat(floats(w.getComponent(player, NameHash.of("health")))).containsExactly(10f, 10f);
            assertThat(w.vars(player)).containsEntry("speed", new VarValue.F64(3.5))
                    .containsEntry("lives", new VarValue.I64(3))
                    .containsEntry("armed", new VarValue.Bool(true))
                    .containsEntry("home", new VarValue.V3(new Vec3(4, 5, 6)));

            // The prefab's tally (priority 10) was listed first; the entity's mover (-5) runs first.
            List<ScriptInstance> scripts = t.engine.scripts().scriptsOn(player);
            assertThat(scripts).extracting(ScriptInstance::scriptName).containsExactly("mover", "tally");
            assertThat(scripts).extracting(ScriptInstance::phase)
                    .containsExactly(Phase.POST_UPDATE, Phase.UPDATE);
            assertThat(scripts).allMatch(i -> i.lifecycle() == ScriptInstance.Lifecycle.ACTIVE);
            assertThat(t.logs).isEmpty();
        }
    }

    @Test
    void componentFieldsOfEveryTypeAreEncodedLittleEndianAndEntityFieldsResolved() throws SceneException {
        try (TestEngine t = engineFor(ARENA)) {
            LoadedScene scene = SceneLoader.load(t.engine, ARENA);
            ComponentSchema link = t.engine.world().componentStore("link").schema();
            assertThat(link.size()).isEqualTo(48);
            byte[] bytes = t.engine.world().getComponent(scene.entity("gun"), link.typeHash());
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(b.get(link.field("flag").offset())).isEqualTo((byte) 1);
            long count = Integer.toUnsignedLong(b.getInt(link.field("count").offset()));
            assertThat(count).isEqualTo(4_000_000_000L);
            assertThat(b.getLong(link.field("big").offset())).isEqualTo(-5L);
            int offset = link.field("offset").offset();
            assertThat(new Vec3(b.getFloat(offset), b.getFloat(offset + 4), b.getFloat(offset + 8)))
                    .isEqualTo(new Vec3(1, 2, 3));
            assertThat(b.getLong(link.field("target").offset())).isEqualTo(scene.entity("player"));
            assertThat(b.getDouble(link.field("ratio").offset())).isEqualTo(0.25);
        }
    }

    @Test
    void scriptsRunFromTheSceneIncludingACScript() throws SceneException {
        try (TestEngine t = engineFor(ARENA)) {
            LoadedScene scene = SceneLoader.load(t.engine, ARENA);
            t.run(60);
            World w = t.engine.world();
            long player = scene.entity("player");
            // mover read the scene's speed var (3.5) in init; one second of post-update moves.
            assertThat(w.position(player).x()).isCloseTo(3.5f, within(1e-3f));
            assertThat(w.vars(player)).containsEntry("ticks", new VarValue.I64(60));
            assertThat(w.position(scene.entity("crate")).x()).isEqualTo(70f); // nudge.c: +1 per update
            assertThat(t.logs).isEmpty();
        }
    }

    @Test
    void aScriptSpawnsAPrefabThatGetsItsComponentsVarsVelocityAndScripts() throws SceneException {
        try (TestEngine t = engineFor(ARENA)) {
            LoadedScene scene = SceneLoader.load(t.engine, ARENA);
            assertThat(scene.prefabs().has("bullet")).isTrue();
            t.run(10);
            World w = t.engine.world();
            long[] bullets = w.findByTag("bullet");
            assertThat(bullets).hasSize(1);
            long bullet = bullets[0];
            assertThat(w.tagsOf(bullet)).containsExactlyInAnyOrder("bullet", "spawned");
            assertThat(floats(w.getComponent(bullet, NameHash.of("health")))).containsExactly(1f, 1f);
            assertThat(w.vars(bullet)).containsEntry("speed", new VarValue.F64(5.0));
            assertThat(w.velocity(bullet)).isEqualTo(new Vec3(0, 0, -10));
            assertThat(t.engine.scripts().scriptsOn(bullet)).extracting(ScriptInstance::scriptName)
                    .containsExactly("mover");
            // Spawned at frame 0's update barrier at (1, 2, 3): velocity moves it from that
            // barrier on (10 frames), its mover (speed 5) from frame 1's update on (9 frames).
            Vec3 p = w.position(bullet);
            assertThat(p.x()).isCloseTo(1f + 5f * 9 / 60f, within(1e-4f));
            assertThat(p.z()).isCloseTo(3f - 10f * 10 / 60f, within(1e-4f));
            // The spawner read the bullet's health through its own extern struct.
            assertThat(w.vars(scene.entity("gun"))).containsEntry("bullet_hp", new VarValue.F64(1.0));
            assertThat(t.logs).isEmpty();
        }
    }

    @Test
    void theCatalogInstantiatesPrefabsAtTheGivenTransform() throws SceneException {
        try (TestEngine t = engineFor(ARENA)) {
            LoadedScene scene = SceneLoader.load(t.engine, ARENA);
            Quat turn = Quat.axisAngle(Vec3.UP, 1f);
            long ship = scene.prefabs().instantiate("ship", new Vec3(7, 8, 9), turn, new Vec3(3, 3, 3));
            World w = t.engine.world();
            assertThat(w.position(ship)).isEqualTo(new Vec3(7, 8, 9));
            assertThat(w.rotation(ship)).isEqualTo(turn);
            assertThat(w.scale(ship)).isEqualTo(new Vec3(3, 3, 3));
            assertThat(w.tagsOf(ship)).containsExactly("ship");
            assertThat(w.vars(ship)).containsEntry("armed", new VarValue.Bool(false));
            assertThat(t.engine.scripts().scriptsOn(ship)).extracting(ScriptInstance::scriptName)
                    .containsExactly("tally");
            assertThat(scene.prefabs().instantiate("nope", Vec3.ZERO, Quat.IDENTITY, Vec3.ONE))
                    .isEqualTo(Entities.NULL);
        }
    }

    @Test
    void anEngineWithAnotherCellSizeIsWarnedAbout() throws SceneException {
        try (TestEngine t = new TestEngine(EngineOptions.defaults().withCellSize(2f))) {
            SceneLoader.load(t.engine, ARENA);
            assertThat(t.messages(LogEntry.Level.WARN))
                    .singleElement().asString()
                    .contains("asks for cell_size 8.0 but the engine's grid uses 2.0");
        }
    }

    private static float[] floats(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[bytes.length / 4];
        for (int i = 0; i < out.length; i++) out[i] = b.getFloat(i * 4);
        return out;
    }
}
