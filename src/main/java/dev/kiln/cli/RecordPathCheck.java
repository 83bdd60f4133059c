package dev.kiln.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --record}'s file is written when the run ends, which for a real-time run can be an
 * hour later: a path that can never be written is said before anything is built, in one line,
 * instead of after the session whose recording it was meant to keep.
 */
final class RecordPathCheck {
    private RecordPathCheck() {}

    /** Proves {@code file}'s folder exists and is writable and {@code file} is not a folder, or says why not. */
    static void requireWritable(Path file) {
        Path folder = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) {
            throw new UserError("--record " + file + " is a folder: pass the path of a file to write the recording to");
        }
        if (folder == null || !Files.isDirectory(folder)) {
            throw new UserError("--record " + file + " cannot be written (its folder " + folder
                    + " does not exist): pass a path in a folder you can write");
        }
        try {
            Files.delete(Files.createTempFile(folder, ".kiln-record-check", ".tmp"));
        } catch (IOException | SecurityException e) {
            throw new UserError("--record " + file + " cannot be written (" + e.getClass().getSimpleName()
                    .replace("Exception", "") + " in " + folder + "): pass a path in a folder you can write", e);
        }
    }
}
