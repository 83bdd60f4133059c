package dev.kiln.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** `kiln run` of a one-entity scene in a JVM of its own: for scripts that may end or bloat the process. */
public record KilnProcess(int exitCode, String out, String err) {
    /** Runs {@code script} (a file in {@code dir}) on one entity with {@code varsJson} for {@code frames} frames. */
    public static KilnProcess run(Path dir, String script, String file, String varsJson, int frames) throws Exception {
        Files.writeString(dir.resolve("scene.json"), """
                { "kiln_scene": 1, "scripts": { "%s": "%s" },
                  "entities": [ { "name": "victim", "vars": %s, "scripts": [ { "script": "%s" } ] } ] }
                """.formatted(script, file, varsJson, script));
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-Dkiln.home=" + TestEngine.home(),
                "-cp", System.getProperty("java.class.path"), "dev.kiln.cli.KilnCli", "run", dir.resolve("scene.json").toString(),
                "--frames", String.valueOf(frames), "--no-watch", "--no-inspector", "--build-dir", TestEngine.buildDir().toString()));
        Path out = dir.resolve("out.txt"), err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kiln run did not end within 180 s: " + Files.readString(out));
        }
        return new KilnProcess(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
