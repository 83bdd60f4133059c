package dev.kiln.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.ComponentPolicy;
import dev.kiln.ecs.ComponentSchema;
import dev.kiln.ecs.Entities;
import dev.kiln.ecs.FieldType;
import dev.kiln.ecs.Quat;
import dev.kiln.ecs.RotationSpace;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.Vec3;
import dev.kiln.ecs.World;
import dev.kiln.engine.EngineOptions;
import dev.kiln.replay.Replay;
import dev.kiln.rewind.Divergence;
import dev.kiln.rewind.FrameRecord;
import dev.kiln.rewind.HostEdit;
import dev.kiln.rewind.Recording;
import dev.kiln.testing.TestEngine;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a game writes through {@code Kiln.world()} between steps — transforms, names, tags,
 * components, ScriptVars, component types, spawns and despawns, before the scene and after — is
 * recorded as the next frame's input (the engine's own writes, the scene load and the frames'
 * barriers, are not): the run replays in a fresh engine with every hash as recorded, in-process
 * and from a saved file, and diverges at the first such write when they are taken out of the
 * recording. world_reader.zig reads every kind back each frame, so a write made before another
 * frame than recorded shows in its State too.
 */
class EmbeddedWorldWritesReplayTest {
    static final int FRAMES = 120;
    /** The first frame a game's world write comes before. */
    static final int FIRST_WRITE = 5;
    /** The frame before which the game moves the probe three times: recorded as one write. */
    static final int THREE_MOVES = 60;
    static final ComponentSchema ARMOR = ComponentSchema.of("armor",
            List.of(new ComponentSchema.Field("points", FieldType.F32, 0)), ComponentPolicy.REPLACE);

    @Test
    void whatAGameWritesThroughWorldBetweenStepsReplaysHashForHash(@TempDir Path dir) throws Exception {
        Path scene = Files.writeString(dir.resolve("scene.json"), """
                { "kiln_scene": 1,
                  "settings": { "seed": 9 },
                  "scripts": { "embed_probe": "%s", "world_reader": "%s" },
                  "entities": [ { "name": "probe", "position": [0, 0, 0], "scripts": [ { "script": "embed_probe" } ] },
                                { "name": "reader", "position": [1, 0, 0], "scripts": [ { "script": "world_reader" } ] } ] }
                """.formatted(TestEngine.testScript("embed_probe.zig"), TestEngine.testScript("world_reader.zig")));
        Recording recorded;
        long marker, reader, probe, extra = Entities.NULL;
        Vec3 probeMovedTo = null;
        try (Kiln kiln = Kiln.create(EmbeddedReplays.quietConfig())) {
            World w = kiln.world();
            // Before the scene (the prelude): a component type and an entity of the game's own,
            // which shifts the scene's handles; a replay without them would spawn others.
            w.registerComponent(ARMOR);
            marker = w.spawn(new Vec3(0, 5, 0), new Quat(0, 0.6f, 0, 0.8f), new Vec3(2, 2, 2));
            kiln.loadScene(scene);
            kiln.engine().recorder().hashEvery(1);
            reader = w.findByName("reader");
            probe = w.findByName("probe");
            for (int f = 0; f < FRAMES; f++) {
                kiln.input().set("right", f % 30 < 20);
                switch (f) {
                    case FIRST_WRITE -> w.setPosition(reader, 3, 1, 0);
                    case 10 -> {
                        w.setRotation(reader, new Quat(0.1f, 0.2f, 0.3f, 0.9f)); // not unit: the world normalises it
                        w.rotate(reader, Quat.axisAngle(new Vec3(0, 1, 0), 0.7f), RotationSpace.LOCAL);
                    }
                    case 15 -> w.lookAt(reader, new Vec3(1, 2, 3), new Vec3(0, 1, 0));
                    case 20 -> w.setScale(reader, 1.5f, 1, 1);
                    case 25 -> w.setVelocity(reader, 0.5f, 0, -0.25f);
                    case 30 -> w.addTag(reader, "boost");
                    case 35 -> w.addComponent(reader, ARMOR.typeHash(), f32(4.5f));
                    case 40 -> w.setVar(reader, "speed", new VarValue.F64(2.25));
                    case 45 -> {
                        w.setName(reader, "renamed");
                        extra = w.spawn(new Vec3(9, 0, 0), Quat.IDENTITY, Vec3.ONE);
                        w.addTag(extra, "crate");
                    }
                    case 50 -> w.removeTag(reader, "boost");
                    case 55 -> w.removeComponent(reader, ARMOR.typeHash());
                    case THREE_MOVES -> {
                        w.translate(probe, 1, 0, 0);
                        w.translate(probe, 0, 1, 0);
                        w.translate(probe, 0, 0, 1);
                        probeMovedTo = w.position(probe);
                    }
                    case 70 -> w.despawn(extra);
                    case 75 -> w.spawn(new Vec3(-1, 0, 0), Quat.IDENTITY, Vec3.ONE); // extra's slot, the next generation
                    default -> { }
                }
                kiln.step(TestEngine.DT);
            }
            recorded = kiln.engine().recorder().recording().copy();
        }

        assertThat(recorded.prelude()).as("the game's writes before the scene, the scene's own entities not")
                .contains(new HostEdit.Register(ARMOR))
                .filteredOn(e -> e instanceof HostEdit.SpawnRow).extracting(e -> ((HostEdit.SpawnRow) e).entity())
                .containsExactly(marker);
        for (int f = 0; f < FIRST_WRITE; f++) {
            assertThat(recorded.frame(f).edits()).as("frame %d: the scripts' and the barriers' writes are not the game's", f)
                    .allMatch(EmbeddedWorldWritesReplayTest::inputWrite);
        }
        assertThat(recorded.frame(THREE_MOVES).edits()).as("three moves of the probe, one write of where they left it")
                .filteredOn(e -> e instanceof HostEdit.Transform).containsExactly(
                        new HostEdit.Transform(probe, HostEdit.Part.POSITION, probeMovedTo));
        for (Class<? extends HostEdit> kind : List.of(HostEdit.Transform.class, HostEdit.Rotation.class, HostEdit.Name.class,
                HostEdit.Tag.class, HostEdit.Untag.class, HostEdit.Component.class, HostEdit.ComponentRemoved.class,
                HostEdit.Var.class, HostEdit.SpawnRow.class, HostEdit.WorldDespawn.class)) {
            assertThat(recorded.frames().stream().flatMap(f -> f.edits().stream()).anyMatch(e -> kind.isInstance(e) && !inputWrite(e)))
                    .as("recorded: %s", kind.getSimpleName()).isTrue();
        }
        for (HostEdit.Part part : HostEdit.Part.values()) {
            assertThat(recorded.frames().stream().flatMap(f -> f.edits().stream())
                    .anyMatch(e -> e instanceof HostEdit.Transform t && t.part() == part)).as("recorded: %s", part).isTrue();
        }

        // A name is not in the hash (scripts cannot read names): the replay's world has it all the same.
        EngineOptions options = EngineOptions.defaults().withBuildDir(TestEngine.buildDir()).withLog(e -> {});
        try (Replay replay = Replay.start(recorded, options)) {
            assertThat(replay.rewindTo(FRAMES)).isNull();
            assertThat(replay.engine().world().name(reader)).isEqualTo("renamed");
            assertThat(replay.engine().world().isAlive(marker)).isTrue();
        }

        Divergence d = EmbeddedReplays.replayedDivergence(recorded, dir, FRAMES, EmbeddedWorldWritesReplayTest::inputWrite);
        assertThat(d).as("without the game's world writes the run is another").isNotNull();
        assertThat(d.frame()).as("from the first of them").isEqualTo(FIRST_WRITE);
    }

    /** The embedding's own input write (recorded by the facade, kept in the filtered replay). */
    private static boolean inputWrite(HostEdit e) {
        return e instanceof HostEdit.Component c && c.typeHash() == InputLayout.SCHEMA.typeHash();
    }

    private static byte[] f32(float v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v).array();
    }
}
