package dev.kiln.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The build folder must be writable before the engine starts: the fault guard and every
 * script are built there, and a folder that cannot be written used to surface later as a
 * stack trace after a misleading "scripts run unguarded" warning.
 */
final class BuildDirCheck {
    private BuildDirCheck() {}

    /** Creates {@code dir} if needed and proves it writable, or says why not in one line. */
    static void requireWritable(Path dir, boolean given) {
        String which = given ? "--build-dir " + dir : "the build folder " + dir;
        String todo = given ? "pass a folder you can write to" : "pass --build-dir with a folder you can write to";
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".kiln-write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new UserError(which + " is not writable (" + reason(e) + "): " + todo, e);
        }
    }

    private static String reason(Exception e) {
        String type = e.getClass().getSimpleName().replace("Exception", "");
        return switch (type) {
            case "AccessDenied" -> "permission denied";
            case "FileAlreadyExists" -> "a file of that name is in the way";
            case "NoSuchFile" -> "it cannot be created there";
            case "FileSystem", "ReadOnlyFileSystem" -> String.valueOf(e.getMessage());
            default -> type.isEmpty() ? String.valueOf(e.getMessage()) : type + ": " + e.getMessage();
        };
    }
}
