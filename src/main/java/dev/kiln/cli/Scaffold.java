package dev.kiln.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Creates a script project: a starter script, a scene, an editor-friendly build.zig, a README. */
public final class Scaffold {
    private static final Pattern SCRIPT_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,63}");

    private Scaffold() {}

    /**
     * Writes the project into {@code dir} (which must be missing or empty) and returns the files
     * written. {@code sdkDir} is the zig/sdk folder the build.zig finds (by a path relative to
     * the project, see {@link #sdkRelative}).
     */
    public static List<Path> create(Path dir, String scriptName, Path sdkDir) throws IOException {
        if (!SCRIPT_NAME.matcher(scriptName).matches()) {
            throw new IllegalArgumentException("script name '" + scriptName
                    + "' must be lower_snake_case (letters, digits, _), at most 64 bytes");
        }
        if (Files.exists(dir) && (!Files.isDirectory(dir) || hasEntries(dir))) {
            throw new IllegalArgumentException(dir + " already exists and is not an empty folder; "
                    + "choose a new folder so nothing of yours is overwritten");
        }
        String name = dir.toAbsolutePath().normalize().getFileName().toString();
        List<Path> written = new ArrayList<>();
        written.add(write(dir.resolve("build.zig"), "build.zig.tmpl", scriptName, name, dir, sdkDir));
        written.add(write(dir.resolve("scripts").resolve(scriptName + ".zig"), "script.zig.tmpl", scriptName, name, dir, sdkDir));
        written.add(write(dir.resolve("scene.json"), "scene.json.tmpl", scriptName, name, dir, sdkDir));
        written.add(write(dir.resolve("README.md"), "README.md.tmpl", scriptName, name, dir, sdkDir));
        written.add(writeText(dir.resolve(".gitignore"), ".zig-cache/\nzig-out/\nbuild/\n"));
        return written;
    }

    private static boolean hasEntries(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        }
    }

    private static Path write(Path file, String template, String script, String name, Path dir, Path sdk)
            throws IOException {
        String text = template(template)
                .replace("{{SCRIPT}}", script)
                .replace("{{NAME}}", name)
                .replace("{{DIR}}", dir.toString())
                .replace("{{KILN_SDK_RELATIVE}}", sdkRelative(dir, sdk));
        return writeText(file, text);
    }

    /**
     * The SDK's folder relative to the project's (build.zig finds it from there, so nothing in
     * the project names an absolute checkout path); KILN_SDK / KILN_HOME override it.
     */
    static String sdkRelative(Path dir, Path sdk) {
        Path from = dir.toAbsolutePath().normalize();
        Path to = sdk.toAbsolutePath().normalize();
        return from.relativize(to).toString().replace("\\", "/");
    }

    private static Path writeText(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static String template(String name) {
        try (InputStream in = Scaffold.class.getResourceAsStream("/scaffold/" + name)) {
            if (in == null) throw new IllegalStateException("template " + name + " missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
