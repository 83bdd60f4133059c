package dev.kiln.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.engine.EngineOptions;
import dev.kiln.replay.Replay;
import dev.kiln.rewind.Divergence;
import dev.kiln.rewind.FrameRecord;
import dev.kiln.rewind.HostEdit;
import dev.kiln.rewind.Recording;
import dev.kiln.rewind.RecordingFile;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/**
 * What the embedded replay tests share: a scene of one entity "probe" running embed_probe.zig,
 * a quiet embedding configuration, and the check that a recording replays hash for hash.
 */
final class EmbeddedReplays {
    private EmbeddedReplays() {}

    /** Writes the probe scene with {@code seed} into {@code dir}; {@code moreEntities}: JSON objects after the probe's ("": none). */
    static Path probeScene(Path dir, long seed, String moreEntities) throws Exception {
        String more = moreEntities.isEmpty() ? "" : ",\n                                " + moreEntities;
        return Files.writeString(dir.resolve("scene.json"), """
                { "kiln_scene": 1,
                  "settings": { "seed": %d },
                  "scripts": { "embed_probe": "%s" },
                  "entities": [ { "name": "probe", "position": [0, 0, 0], "scripts": [ { "script": "embed_probe" } ] }%s ] }
                """.formatted(seed, TestEngine.testScript("embed_probe.zig"), more));
    }

    /** The tests' build directory, no log. */
    static KilnConfig quietConfig() {
        return KilnConfig.defaults().withBuildDir(TestEngine.buildDir()).withLog(e -> {});
    }

    /**
     * Replays {@code recorded} to {@code frames} in a fresh engine, in-process and from a file
     * saved in {@code dir}, asserting every hash comes back; then replays it with only the edits
     * {@code kept} lets through and returns that replay's divergence.
     */
    static Divergence replayedDivergence(Recording recorded, Path dir, int frames, Predicate<HostEdit> kept) throws Exception {
        return replayedDivergence(recorded, dir, frames, kept, true);
    }

    /**
     * As {@link #replayedDivergence(Recording, Path, int, Predicate)}; without
     * {@code keepPhysics} the filtered replay also lacks what the physics handler wrote.
     */
    static Divergence replayedDivergence(Recording recorded, Path dir, int frames, Predicate<HostEdit> kept,
                                         boolean keepPhysics) throws Exception {
        EngineOptions options = EngineOptions.defaults().withBuildDir(TestEngine.buildDir()).withLog(e -> {});
        try (Replay replay = Replay.start(recorded, options)) {
            assertThat(replay.rewindTo(frames)).as("every frame's hash as recorded").isNull();
        }
        Path file = dir.resolve("run.kilnrec");
        RecordingFile.save(recorded, file);
        try (Replay replay = Replay.start(RecordingFile.load(file), options)) {
            assertThat(replay.rewindTo(frames)).as("from the saved file too").isNull();
        }
        Recording filtered = new Recording(recorded.scene(), recorded.seed(), recorded.libraries(), recorded.prelude(), Long.MAX_VALUE);
        for (FrameRecord f : recorded.frames()) {
            filtered.append(new FrameRecord(f.frame(), f.dt(), f.reloads(), f.edits().stream().filter(kept).toList(),
                    keepPhysics ? f.physics() : List.of(), f.hash(), f.hashed()));
        }
        try (Replay replay = Replay.start(filtered, options)) {
            return replay.rewindTo(frames);
        }
    }
}
