package dev.kiln.inspector;

import dev.kiln.engine.Engine;
import dev.kiln.engine.EngineOptions;
import dev.kiln.reload.HotReloadManager;
import dev.kiln.scene.LoadedScene;
import dev.kiln.scene.SceneLoader;
import dev.kiln.script.LogEntry;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A small scene running in real time on its own frame thread, with hot reload and the inspector
 * on a free port: what `kiln run` sets up, for API and browser tests. Scripts are copies in a
 * temp folder, so tests may save broken code into them.
 */
final class InspectorFixture implements AutoCloseable {
    static final String SCENE = """
            {
              "kiln_scene": 1,
              "settings": { "fixed_dt": 0.0166667 },
              "scripts": { "mover": "mover.zig", "spinner": "spinner.zig" },
              "components": { "health": [ { "name": "hp", "type": "f32" }, { "name": "lives", "type": "u32" } ] },
              "entities": [
                { "name": "walker", "position": [0, 0, 0], "tags": ["walker"], "vars": { "speed": 3.0 },
                  "scripts": [ { "script": "mover", "priority": 0 } ] },
                { "name": "turner", "position": [4, 0, 4], "tags": ["prop", "spinning"],
                  "scripts": [ { "script": "spinner", "priority": 0 } ] },
                { "name": "rock", "position": [-5, 0, 3], "tags": ["prop"],
                  "components": { "health": { "hp": 5, "lives": 1 } } }
              ]
            }
            """;

    final Path dir;
    final Engine engine;
    final List<LogEntry> logLines = new CopyOnWriteArrayList<>();
    final LogRing logs;
    final HotReloadManager reloads;
    final InspectorServer server;
    final LoadedScene scene;
    private final ConcurrentLinkedQueue<Runnable> jobs = new ConcurrentLinkedQueue<>();
    private final Thread frameThread;
    private volatile boolean running = true;

    InspectorFixture(Path dir) throws Exception {
        this(dir, false);
    }

    /** {@code release}: what `kiln run --release` sets up (ReleaseFast builds, no hot reload). */
    InspectorFixture(Path dir, boolean release) throws Exception {
        this.dir = dir;
        for (String s : new String[] {"mover.zig", "spinner.zig"}) {
            Files.copy(TestEngine.example(s), dir.resolve(s), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(dir.resolve("scene.json"), SCENE);
        this.logs = new LogRing(logLines::add);
        EngineOptions options = EngineOptions.defaults().withBuildDir(TestEngine.buildDir()).withLog(logs);
        this.engine = new Engine(release ? options.release() : options);
        this.scene = SceneLoader.load(engine, dir.resolve("scene.json"));
        this.reloads = release ? null : new HotReloadManager(engine, Duration.ofMillis(100), e -> { });
        if (reloads != null) reloads.watchSources();
        engine.addFrameBoundaryTask(this::runJobs);
        this.server = InspectorServer.start(engine, reloads, logs, 0);
        this.frameThread = Thread.ofPlatform().name("test-frame-loop").start(this::loop);
    }

    private void loop() {
        while (running) {
            engine.step(TestEngine.DT);
            try {
                Thread.sleep(16);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void runJobs() {
        Runnable job;
        while ((job = jobs.poll()) != null) job.run();
    }

    /** Runs {@code work} on the frame thread between frames and returns its result. */
    <T> T onFrame(Supplier<T> work) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        jobs.add(() -> {
            try {
                f.complete(work.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(10, TimeUnit.SECONDS);
    }

    long entity(String name) {
        return scene.entity(name);
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() throws Exception {
        running = false;
        frameThread.join(5000);
        server.close();
        if (reloads != null) reloads.close();
        engine.close();
    }
}
