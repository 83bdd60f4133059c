package dev.kiln.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.Entities;
import dev.kiln.ecs.Status;
import dev.kiln.replay.LiveRewind;
import dev.kiln.rewind.Divergence;
import dev.kiln.rewind.HostEdit;
import dev.kiln.rewind.Recording;
import dev.kiln.testing.TestEngine;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a game does through the embedding API between steps — spawn, attach, detach, despawn,
 * send a signal — is recorded as the next frame's input: an embedded run that does all of them
 * replays in a fresh engine with every hash as recorded (in-process and from a saved file), and
 * diverges at the first such action when they are taken out of the recording. The live run of
 * the same game rewinds across them and replays them hash for hash.
 */
class EmbeddedHostActionsReplayTest {
    static final int FRAMES = 200;
    /** The first frame a host action comes before (frame 5's boundary: a spawn and an attach). */
    static final int FIRST_ACTION = 5;

    @Test
    void hostSpawnsAttachesAndSignalsReplayHashForHash(@TempDir Path dir) throws Exception {
        Path scene = EmbeddedReplays.probeScene(dir, 5, "");
        KilnConfig config = EmbeddedReplays.quietConfig();
        Recording recorded;
        try (Kiln kiln = Kiln.create(config)) {
            kiln.loadScene(scene);
            kiln.engine().recorder().hashEvery(1);
            LiveRewind live = LiveRewind.attach(kiln.engine());
            List<Long> spawned = new ArrayList<>(), probing = new ArrayList<>(); // probing: with embed_probe attached
            for (int f = 0; f < FRAMES; f++) {
                kiln.input().set("right", f % 40 < 25);
                if (f % 20 == FIRST_ACTION) { // a new probe, moved by the input from its next frame
                    long e = kiln.spawn(f, 1, 0);
                    assertThat(kiln.attach(e, "embed_probe")).isEqualTo(Status.OK);
                    spawned.add(e);
                    probing.add(e);
                }
                if (f % 7 == 3 && f > FIRST_ACTION) {
                    assertThat(kiln.sendSignal("bonus", i32(f), Entities.NULL)).isEqualTo(Status.OK); // every probe's State
                }
                if (f % 30 == 29 && probing.size() > 1) assertThat(kiln.detach(probing.remove(1), "embed_probe")).isEqualTo(Status.OK);
                if (f % 50 == 49 && !spawned.isEmpty()) {
                    long gone = spawned.removeFirst();
                    probing.remove(gone);
                    assertThat(kiln.despawn(gone)).isEqualTo(Status.OK);
                }
                kiln.step(TestEngine.DT);
            }
            recorded = kiln.engine().recorder().recording().copy();
            // How many keyframes the live run took depends on their cost against the frame's; the
            // newest at or before frame 103 lies before actions made between it and 103 either way.
            assertThat(live.keyframeFrames()).as("keyframed").isNotEmpty();
            int instancesAtEnd = kiln.engine().scripts().instances().size();

            // The live run, rewound across spawns, attaches, detaches and despawns, replays them.
            assertThat(live.rewindTo(FRAMES / 2 + 3)).isNull();
            assertThat(kiln.engine().scripts().instances().size()).as("the table as it was at 103").isNotEqualTo(instancesAtEnd);
            assertThat(live.replayTo(FRAMES)).as("the host's actions made again, every hash as recorded").isNull();
            live.resume();
            live.detach();
        }
        for (Class<? extends HostEdit> kind : List.of(HostEdit.SpawnAt.class, HostEdit.Attach.class, HostEdit.Signal.class,
                HostEdit.Detach.class, HostEdit.Despawn.class)) {
            assertThat(recorded.frames().stream().anyMatch(f -> f.edits().stream().anyMatch(kind::isInstance)))
                    .as("recorded: %s", kind.getSimpleName()).isTrue();
        }

        Divergence d = EmbeddedReplays.replayedDivergence(recorded, dir, FRAMES, e -> e instanceof HostEdit.Component);
        assertThat(d).as("without the host's actions the run is another").isNotNull();
        assertThat(d.frame()).as("from the first of them").isEqualTo(FIRST_ACTION);
    }

    private static byte[] i32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }
}
