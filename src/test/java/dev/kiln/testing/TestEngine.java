package dev.kiln.testing;

import dev.kiln.build.KilnHome;
import dev.kiln.build.ScriptCompiler;
import dev.kiln.engine.Engine;
import dev.kiln.engine.EngineOptions;
import dev.kiln.script.LogEntry;
import dev.kiln.script.ScriptLibrary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An engine for tests: builds into one shared dir under target/ (so Zig's cache stays warm
 * across tests) and records every log line.
 */
public final class TestEngine implements AutoCloseable {
    public static final double DT = 1.0 / 60.0;

    public final Engine engine;
    public final List<LogEntry> logs = new CopyOnWriteArrayList<>();

    public TestEngine() {
        this(defaultOptions());
    }

    /**
     * The engine's defaults; {@code -Dkiln.test.mode=DEVELOPMENT} runs a test class with another
     * build mode (the reload tests pass with the warm compiler too).
     */
    static EngineOptions defaultOptions() {
        String mode = System.getProperty("kiln.test.mode");
        EngineOptions d = EngineOptions.defaults();
        return mode == null || mode.isBlank() ? d : d.withMode(ScriptCompiler.Mode.valueOf(mode));
    }

    public TestEngine(EngineOptions options) {
        this.engine = new Engine(options.withBuildDir(buildDir()).withLog(logs::add));
    }

    public static Path home() {
        return KilnHome.locate();
    }

    public static Path buildDir() {
        return home().resolve("target/kiln-test-build");
    }

    /** A test script under src/test/zig/. */
    public static Path testScript(String file) {
        return home().resolve("src/test/zig").resolve(file);
    }

    /** An example script under zig/examples/. */
    public static Path example(String file) {
        return home().resolve("zig/examples").resolve(file);
    }

    public ScriptLibrary load(Path source) {
        try {
            return engine.loadScript(source);
        } catch (Exception e) {
            throw new AssertionError("could not load " + source + ": " + e.getMessage(), e);
        }
    }

    public ScriptLibrary loadTest(String file) {
        return load(testScript(file));
    }

    /** Writes {@code source} to {@code dir/name.zig} and loads it, isolated or in this process. */
    public ScriptLibrary load(Path dir, String name, String source, boolean isolated) {
        Path file = dir.resolve(name + ".zig");
        try {
            Files.writeString(file, source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return isolated ? loadIsolated(file) : load(file);
    }

    /** Loads a script in isolated mode: in a host process of its own. */
    public ScriptLibrary loadIsolated(Path source) {
        try {
            return engine.loadScript(source, true);
        } catch (Exception e) {
            throw new AssertionError("could not load " + source + " isolated: " + e.getMessage(), e);
        }
    }

    /** Isolated-mode host processes (kiln_host) this JVM has running. */
    public static long isolatedHosts() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().orElse("").contains("kiln_host")).count();
    }

    /** Shared regions of isolated hosts this JVM has mapped. */
    public static long isolatedRegionsMapped() {
        try {
            return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .filter(l -> l.contains("kiln-isolated-region")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> messages(LogEntry.Level level) {
        return logs.stream().filter(l -> l.level() == level).map(LogEntry::message).toList();
    }

    public List<LogEntry> logsOf(String script) {
        return logs.stream().filter(l -> l.script().equals(script)).toList();
    }

    public void step() {
        engine.step(DT);
    }

    public void run(int frames) {
        engine.run(frames, DT);
    }

    @Override
    public void close() {
        engine.close();
    }
}
