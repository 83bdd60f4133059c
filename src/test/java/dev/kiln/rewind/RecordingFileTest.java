package dev.kiln.rewind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.ecs.ComponentPolicy;
import dev.kiln.ecs.ComponentSchema;
import dev.kiln.ecs.FieldType;
import dev.kiln.ecs.Quat;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.Vec3;
import dev.kiln.script.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recording file: every kind of record reads back equal; a bad line is refused with its file and line. */
class RecordingFileTest {
    @TempDir
    Path dir;

    @Test
    void everyRecordKindReadsBackEqual() throws Exception {
        List<HostEdit> prelude = List.of(
                new HostEdit.Register(ComponentSchema.of("kiln.input", List.of(new ComponentSchema.Field("held_bits", FieldType.U64, 0),
                        new ComponentSchema.Field("pointer", FieldType.VEC3, 0)), ComponentPolicy.MERGE)),
                new HostEdit.Spawn(1L << 32, "an input entity"),
                new HostEdit.Spawn(2L << 32, null),
                new HostEdit.Tag(1L << 32, "kiln.input"),
                new HostEdit.Component(1L << 32, 0x1234, new byte[24]));
        Recording r = new Recording(Path.of("/scenes/my scene.json"), -2L, Map.of("mover", Path.of("/b/libmover-1.so")), prelude, 1 << 20);
        List<HostEdit> edits = List.of(
                new HostEdit.StateField(3, "label", "two words"),
                new HostEdit.Var(5L << 32 | 2, "a key with spaces", new VarValue.V3(new Vec3(1.5f, -0f, Float.MIN_VALUE))),
                new HostEdit.Var(7, "n", new VarValue.I64(Long.MIN_VALUE)),
                new HostEdit.Var(7, "x", new VarValue.F64(0.1)),
                new HostEdit.Var(7, "b", new VarValue.Bool(true)),
                new HostEdit.Component(9, 0xFEDCBA9876543210L, new byte[] {1, 2, (byte) 0xFF}),
                new HostEdit.Attach(9, "mover", -4, Phase.POST_UPDATE),
                new HostEdit.Attach(9, "mover", 0, null),
                new HostEdit.Detach(11),
                new HostEdit.Enabled(12, false),
                new HostEdit.Priority(13, -1),
                new HostEdit.SpawnRow(14L << 32 | 1, new Vec3(1, -0f, 3), new Quat(0, 0.6f, 0, 0.8f), new Vec3(2, 2, Float.MIN_VALUE)),
                new HostEdit.WorldDespawn(14L << 32 | 1),
                new HostEdit.Transform(9, HostEdit.Part.POSITION, new Vec3(0.1f, 0.2f, 0.3f)),
                new HostEdit.Transform(9, HostEdit.Part.SCALE, new Vec3(1, 1, 2)),
                new HostEdit.Transform(9, HostEdit.Part.VELOCITY, new Vec3(-1, 0, 0)),
                new HostEdit.Rotation(9, new Quat(0.1f, 0.2f, 0.3f, 0.9f)),
                new HostEdit.Name(9, "a name with spaces"),
                new HostEdit.Name(9, null),
                new HostEdit.Untag(9, "boost"),
                new HostEdit.ComponentRemoved(9, 0xFEDCBA9876543210L),
                new HostEdit.PhysicsDriven(9, true),
                new HostEdit.PhysicsHandlerSet(false));
        List<FrameRecord.Handled> physics = List.of(
                new FrameRecord.Handled(9, List.of(new HostEdit.Transform(9, HostEdit.Part.POSITION, new Vec3(4, 5, 6)),
                        new HostEdit.Rotation(9, new Quat(0, 0, 0, 1)))),
                new FrameRecord.Handled(9, List.of()), // a request the handler wrote nothing for
                new FrameRecord.Handled(10, List.of(new HostEdit.Tag(10, "landed"))));
        r.append(new FrameRecord(0, 1 / 60.0, List.of(), List.of(), 0x8000000000000001L));
        r.append(new FrameRecord(1, 0.02, List.of(new FrameRecord.Reload("mover", Path.of("/b/libmover 2.so"))), edits, 42));
        r.append(new FrameRecord(2, 0.02, List.of(), List.of(), 0, false)); // a frame the recorder did not hash
        r.append(new FrameRecord(3, 0.02, List.of(), List.of(new HostEdit.PhysicsHandlerSet(true)), physics, 7, true));
        Path file = dir.resolve("r.kilnrec");
        RecordingFile.save(r, file);
        Recording back = RecordingFile.load(file);
        assertThat(back.scene()).isEqualTo(r.scene());
        assertThat(back.seed()).isEqualTo(-2L);
        assertThat(back.libraries()).isEqualTo(r.libraries());
        assertThat(back.prelude()).isEqualTo(prelude);
        assertThat(back.frames()).isEqualTo(r.frames());
        assertThat(back.frame(2).hashed()).isFalse();
        assertThat(back.frame(3).physics()).isEqualTo(physics);
        assertThat(Files.readString(file)).contains("\nframe 2 3f947ae147ae147b -\n");
    }

    private void refused(String body, String message) throws Exception {
        Path file = dir.resolve("bad.kilnrec");
        Files.writeString(file, body);
        assertThatThrownBy(() -> RecordingFile.load(file)).isInstanceOf(RecordingFile.FormatException.class)
                .hasMessage(file + ":" + message);
    }

    @Test
    void aBadLineIsRefusedWithItsFileAndLine() throws Exception {
        String head = "kiln-recording 2\nscene /s.json\nseed 1\n";
        refused("kiln-recording 1\n", "1: not a Kiln recording of format 2 (the first line must be 'kiln-recording 2')");
        refused(head + "frame 1 3f91111111111111 0\n", "4: frame 1 where frame 0 was expected");
        refused(head + "frame 0 7ff0000000000000 0\n", "4: delta time Infinity is not in (0, 1] seconds");
        refused(head + "edit var 3 f32 1 k\nframe 0 3f91111111111111 0\n", "4: unknown var kind 'f32'");
        refused(head + "edit teleport 3\n", "4: unknown edit 'teleport'");
        refused(head + "wrote position 9 0 0 0\n", "4: a wrote line without a handled line before it");
        refused(head + "handled 9\nedit tag 9 a\n", "5: an edit line after the frame's physics lines");
        refused(head + "handled x\n", "4: expected an entity handle: For input string: \"x\"");
        refused(head + "edit physics_driven 9 yes\n", "4: expected true or false, found 'yes'");
        refused(head + "edit rotation 9 0 0 0\n", "4: expected 5 fields, found 4");
        refused(head + "frame 0 3f91111111111111 0\nhandled 9\n", "5: reload, edit or physics lines after the last frame");
        refused(head + "frame 0 3f91111111111111 0\nreload mover /x.so\n", "5: reload, edit or physics lines after the last frame");
        refused("kiln-recording 2\nframe 0 3f91111111111111 0\n", "2: a frame before the scene and seed lines");
        refused(head + "frame 0 3f91111111111111 0\nprelude spawn 4294967296\n", "5: a prelude line after the first frame's records");
        refused(head + "prelude register keep 1 x:F16 c\n", "4: No enum constant dev.kiln.ecs.FieldType.F16");
        refused(head + "prelude register keep 2 x:F32 c\n", "4: expected 3 fields, found 2");
        refused(head + "prelude register sometimes 1 x:F32 c\n", "4: unknown component policy 'sometimes'");
        refused(head + "seed -1\n", "4: expected an unsigned 64-bit seed: Illegal leading minus sign on unsigned string -1.");
    }
}
