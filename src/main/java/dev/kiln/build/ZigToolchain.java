package dev.kiln.build;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The pinned Zig compiler: its path and version. */
public record ZigToolchain(Path executable, String version) {

    /**
     * Finds the Zig named by zig/ZIG_VERSION: -Dkiln.zig, KILN_ZIG, the project-local install
     * ./kiln makes (.tools/zig-VERSION), then `zig` on PATH. Fails naming every place it looked.
     */
    public static ZigToolchain locate(Path kilnHome) {
        String wanted = pinnedVersion(kilnHome);
        List<String> looked = new ArrayList<>();
        List<Path> candidates = new ArrayList<>();
        String prop = System.getProperty("kiln.zig");
        if (prop != null && !prop.isBlank()) candidates.add(Path.of(prop));
        String env = System.getenv("KILN_ZIG");
        if (env != null && !env.isBlank()) candidates.add(Path.of(env));
        candidates.add(kilnHome.resolve(".tools/zig-" + wanted + "/ziglang/zig"));
        String pathVar = System.getenv().getOrDefault("PATH", "");
        for (String dir : pathVar.split(File.pathSeparator)) {
            if (!dir.isBlank()) candidates.add(Path.of(dir, "zig"));
        }
        for (Path candidate : candidates) {
            if (!Files.isExecutable(candidate)) continue;
            String version = versionOf(candidate);
            looked.add(candidate + " (" + version + ")");
            if (wanted.equals(version)) return new ZigToolchain(candidate.toAbsolutePath(), version);
        }
        throw new IllegalStateException("Zig " + wanted + " not found (looked at: "
                + (looked.isEmpty() ? "no zig executables" : String.join(", ", looked))
                + "); run ./kiln once to install it into .tools/");
    }

    public static String pinnedVersion(Path kilnHome) {
        try {
            return Files.readString(kilnHome.resolve("zig/ZIG_VERSION"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + kilnHome.resolve("zig/ZIG_VERSION") + ": " + e.getMessage());
        }
    }

    private static String versionOf(Path zig) {
        try {
            Process p = new ProcessBuilder(zig.toString(), "version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "unusable";
        } catch (IOException e) {
            return "unusable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unusable";
        }
    }
}
