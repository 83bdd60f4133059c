package dev.kiln.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.Quat;
import dev.kiln.ecs.Status;
import dev.kiln.ecs.Vec3;
import dev.kiln.replay.LiveRewind;
import dev.kiln.rewind.Divergence;
import dev.kiln.rewind.FrameRecord;
import dev.kiln.rewind.HostEdit;
import dev.kiln.rewind.Recording;
import dev.kiln.script.PhysicsHandler;
import dev.kiln.script.TransformRequest;
import dev.kiln.testing.TestEngine;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run with a physics handler (the game's Java code, which a replay does not have) records
 * what the handler wrote for each request it was handed, and the physics-driven flags: a replay
 * without the handler makes the same writes at the same point of the barrier and reproduces
 * every hash, in-process and from a saved file; without the recorded writes, or without the
 * flags, it diverges at the first frame the handler took part in. The live run rewinds across
 * the flag's change (a keyframe holds the flags) with the recorded writes standing in for the
 * handler, whose own state was not rewound.
 */
class EmbeddedPhysicsReplayTest {
    static final int FRAMES = 150;
    static final int HANDLER_SET = 8;
    /** The first frame whose barrier hands the probe's translate to the handler. */
    static final int FIRST_DRIVEN = 10;
    static final int UNDRIVEN = 80;

    @Test
    void whatThePhysicsHandlerWroteReplaysWithoutIt(@TempDir Path dir) throws Exception {
        Path scene = EmbeddedReplays.probeScene(dir, 7, "");
        Recording recorded;
        try (Kiln kiln = Kiln.create(EmbeddedReplays.quietConfig())) {
            kiln.loadScene(scene);
            kiln.engine().recorder().hashEvery(1);
            LiveRewind live = LiveRewind.attach(kiln.engine());
            long probe = kiln.world().findByName("probe");
            int[] calls = {0};
            // The game's physics: its drag depends on state of its own (a call count), which a replay cannot know.
            PhysicsHandler physics = request -> {
                calls[0]++;
                if (request.kind() != TransformRequest.Kind.TRANSLATE) return;
                Vec3 at = kiln.world().position(request.entity());
                float drag = 1f / (1 + calls[0] % 7);
                kiln.world().setPosition(request.entity(), at.x() + request.vector().x() * drag, at.y() + 0.01f, at.z());
                kiln.world().rotate(request.entity(), Quat.axisAngle(new Vec3(0, 1, 0), 0.1f * drag));
            };
            for (int f = 0; f < FRAMES; f++) {
                kiln.input().set("right", f % 40 < 25);
                if (f == HANDLER_SET) kiln.setPhysicsHandler(physics);
                if (f == FIRST_DRIVEN) assertThat(kiln.setPhysicsDriven(probe, true)).isEqualTo(Status.OK);
                if (f == UNDRIVEN) assertThat(kiln.setPhysicsDriven(probe, false)).isEqualTo(Status.OK);
                kiln.step(TestEngine.DT);
            }
            recorded = kiln.engine().recorder().recording().copy();
            assertThat(calls[0]).as("the handler had the probe's requests").isEqualTo(UNDRIVEN - FIRST_DRIVEN);
            assertThat(Arrays.stream(live.keyframeFrames()).anyMatch(k -> k > FIRST_DRIVEN && k <= UNDRIVEN - 5))
                    .as("a keyframe while the probe was driven: %s", Arrays.toString(live.keyframeFrames())).isTrue();

            // Rewound to a frame where the probe was driven: the keyframe puts the flag back (it is
            // off in the engine now), and the recorded writes stand in for the handler.
            assertThat(kiln.isPhysicsDriven(probe)).isFalse();
            assertThat(live.rewindTo(UNDRIVEN - 5)).isNull();
            assertThat(kiln.isPhysicsDriven(probe)).as("the flag as it was there").isTrue();
            assertThat(calls[0]).as("the game's handler was not run again").isEqualTo(UNDRIVEN - FIRST_DRIVEN);
            assertThat(live.replayTo(FRAMES)).as("every hash as recorded").isNull();
            live.resume();
            live.detach();
        }
        for (int f = 0; f < FRAMES; f++) {
            FrameRecord r = recorded.frame(f);
            boolean driven = f >= FIRST_DRIVEN && f < UNDRIVEN;
            assertThat(r.physics()).as("frame %d: the probe's translate handed over", f).hasSize(driven ? 1 : 0);
            if (driven) assertThat(r.physics().getFirst().writes()).as("frame %d: a position and a rotation", f).hasSize(2);
        }

        Divergence withoutWrites = EmbeddedReplays.replayedDivergence(recorded, dir, FRAMES, e -> true, false);
        assertThat(withoutWrites).as("without the handler's writes the run is another").isNotNull();
        assertThat(withoutWrites.frame()).isEqualTo(FIRST_DRIVEN);
        Divergence withoutFlags = EmbeddedReplays.replayedDivergence(recorded, dir, FRAMES,
                e -> !(e instanceof HostEdit.PhysicsDriven), true);
        assertThat(withoutFlags).as("without the flag the requests are applied, not handed over").isNotNull();
        assertThat(withoutFlags.frame()).isEqualTo(FIRST_DRIVEN);
    }
}
