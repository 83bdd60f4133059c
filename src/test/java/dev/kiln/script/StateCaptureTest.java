package dev.kiln.script;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.state.StateValues;
import dev.kiln.testing.TestEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rewind-ready State: an instance's State and its containers' contents are captured, changed by
 * more frames, and restored; the script goes on from the restored values. In process and isolated.
 */
class StateCaptureTest {
    static final String SCRIPT = """
            const kiln = @import("kiln");
            const Step = struct { n: u32, half: f32 };
            pub const State = struct {
                frames: u32 = 0,
                steps: kiln.List(Step) = .{},
                name: kiln.String = .{},
                seen: kiln.Map(u32, u32) = .{},
                spare: kiln.List(u8) = .{},
            };
            pub fn update(self: *State, ctx: *kiln.Context) !void {
                self.frames += 1;
                try self.steps.append(ctx, .{ .n = self.frames, .half = @as(f32, @floatFromInt(self.frames)) / 2 });
                self.name.clear(ctx);
                try self.name.print(ctx, "frame {d}", .{self.frames});
                try self.seen.put(ctx, self.frames % 3, self.frames);
                if (self.frames == 7) self.spare.deinit(ctx) else if (self.frames < 7) try self.spare.append(ctx, 1);
            }
            """;

    @ParameterizedTest(name = "isolated = {0}")
    @ValueSource(booleans = {false, true})
    void aCapturedStateWithItsContainersIsRestoredAfterChanges(boolean isolated, @TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            t.load(dir, "stepper", SCRIPT, isolated);
            ScriptInstance i = t.engine.scripts().attach(t.engine.world().spawn(), "stepper", 0, null);
            t.run(5);
            StateCapture keyframe = t.engine.scripts().captureState(i);
            Map<String, Object> before = values(t, i);
            assertThat(before.get("frames")).isEqualTo(5L);
            assertThat((List<?>) before.get("steps")).hasSize(5);
            assertThat(keyframe.containers()).hasSize(5); // steps, name, seen's entries and hash index, spare
            long usedBefore = t.engine.scripts().memoryOf(i).usedBytes();

            t.run(10); // more steps, another name, map entries changed, spare freed
            assertThat(values(t, i)).isNotEqualTo(before);
            assertThat(t.engine.scripts().captureState(i).contentHash()).isNotEqualTo(keyframe.contentHash());

            t.engine.scripts().restoreState(i, keyframe);
            assertThat(values(t, i)).isEqualTo(before);
            assertThat(t.engine.scripts().captureState(i).contentHash()).isEqualTo(keyframe.contentHash());
            assertThat(t.engine.scripts().memoryOf(i).usedBytes()).isLessThanOrEqualTo(usedBefore);
            assertThat(t.engine.scripts().memoryOf(i).budgetBytes()).isEqualTo(t.engine.scripts().memoryBudgetOf("stepper"));

            t.run(1); // the script goes on from the restored values
            Map<String, Object> after = values(t, i);
            assertThat(after.get("frames")).isEqualTo(6L);
            assertThat((List<?>) after.get("steps")).hasSize(6).last().isEqualTo(Map.of("n", 6L, "half", 3.0));
            assertThat(after.get("name")).isEqualTo(bytes("frame 6"));
            assertThat((List<?>) after.get("spare")).hasSize(6);
        }
    }

    @Test
    void anotherInstancesCaptureIsRefusedAndChangesNothing(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            t.load(dir, "stepper", SCRIPT, false);
            ScriptInstance a = t.engine.scripts().attach(t.engine.world().spawn(), "stepper", 0, null);
            ScriptInstance b = t.engine.scripts().attach(t.engine.world().spawn(), "stepper", 0, null);
            t.run(3);
            StateCapture ofA = t.engine.scripts().captureState(a);
            byte[] stateOfB = b.state().toArray(JAVA_BYTE);
            assertThatThrownBy(() -> t.engine.scripts().restoreState(b, ofA))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("a capture of instance " + a.id() + " cannot be restored into instance " + b.id());
            assertThat(b.state().toArray(JAVA_BYTE)).isEqualTo(stateOfB);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> values(TestEngine t, ScriptInstance i) {
        return (Map<String, Object>) StateValues.read(i.library().info().stateType(), i.state().toArray(JAVA_BYTE), 0,
                t.engine.scripts().containerReader(i));
    }

    private static List<Long> bytes(String text) {
        return text.chars().mapToObj(c -> (long) c).toList();
    }
}
