package dev.kiln.cli;

import dev.kiln.abi.LibraryLoadException;
import dev.kiln.engine.EngineOptions;
import dev.kiln.replay.Replay;
import dev.kiln.rewind.Divergence;
import dev.kiln.rewind.Recording;
import dev.kiln.rewind.RecordingFile;
import dev.kiln.scene.SceneException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `kiln replay <recording>`: re-simulates a saved recording (`kiln run --record`) from its scene
 * with the library versions it ran and checks every frame's hash. Exit 0: every hash matched;
 * 1: the run diverged (the first frame, entity and field are printed); 2: the file, scene or a
 * recorded library cannot be used.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay a recording saved by `kiln run --record` and check that every frame's hash comes back.")
final class ReplayCommand extends VerboseCommand implements Callable<Integer> {
    /** Exit code of a replay that left its recording. */
    static final int EXIT_DIVERGED = 1;

    @Parameters(index = "0", description = "The recording file.")
    Path recordingFile;

    @Option(names = "--build-dir", description = "Where script libraries and Zig caches go (default: <kiln home>/build).")
    Path buildDir;

    @Override
    public Integer call() throws Exception {
        Recording recording;
        try {
            recording = RecordingFile.load(recordingFile);
        } catch (IOException e) {
            throw new UserError("kiln replay: " + recordingFile + " cannot be read (" + e.getMessage() + ")", e);
        } catch (RecordingFile.FormatException e) {
            System.err.println("kiln replay: " + e.getMessage());
            return UserError.EXIT_CODE;
        }
        Path home = Toolchain.home();
        Path builds = buildDir != null ? buildDir : home.resolve("build");
        System.out.println("kiln: replaying " + recording.size() + " frames of " + recording.scene() + " ...");
        try (Replay replay = Replay.start(recording, EngineOptions.defaults().withBuildDir(builds))) {
            Divergence d = replay.rewindTo(recording.size());
            if (d != null) {
                System.out.println("kiln replay: diverged at " + d);
                return EXIT_DIVERGED;
            }
        } catch (SceneException | LibraryLoadException e) {
            System.err.println("kiln replay: " + e.getMessage());
            return UserError.EXIT_CODE;
        }
        System.out.println("kiln replay: " + recording.size() + " frames replayed, every hash matches the recording");
        return 0;
    }
}
