package dev.kiln.bench;

import dev.kiln.build.BuildResult;
import dev.kiln.build.KilnHome;
import dev.kiln.build.ScriptCompiler;
import dev.kiln.build.ZigToolchain;
import dev.kiln.ecs.Quat;
import dev.kiln.ecs.Vec3;
import dev.kiln.ecs.World;
import dev.kiln.engine.Engine;
import dev.kiln.engine.EngineOptions;
import dev.kiln.script.LogSink;
import java.nio.file.Path;

/**
 * Builds the benchmark scripts (bench/zig/bench/) and sets up engines and worlds for the
 * benchmarks. Builds go to target/kiln-bench-build, apart from the tests' build dir, so a
 * benchmark run never races a test run for Zig's cache; outputs are content-hashed, so every
 * fork after the first reuses the libraries instead of rebuilding them.
 */
final class BenchScripts {
    /** Fixed frame step of every benchmark frame: 60 Hz. */
    static final double FRAME_SECONDS = 1.0 / 60.0;
    /** Distance between neighbouring spawned entities, in world units (cell size is 4). */
    static final float SPACING_UNITS = 2f;

    private BenchScripts() {}

    static Path buildDir() {
        return KilnHome.locate().resolve("target/kiln-bench-build");
    }

    static Path source(String script) {
        return KilnHome.locate().resolve("bench/zig/bench").resolve(script + ".zig");
    }

    /** An engine that builds into the bench build dir with {@code mode} and logs into {@code log}. */
    static Engine newEngine(ScriptCompiler.Mode mode, BenchLog log) {
        return newEngine(mode, log, EngineOptions.defaults().faultGuard());
    }

    /**
     * The same, with the fault guard on or off. The guard's signal handlers are process-wide once
     * installed (every signal passes them), so {@code faultGuard = false} measures an unguarded
     * engine only in a JVM (a JMH fork) where no guarded engine was created before: callers
     * check {@code FaultGuard.handlersInstalled()}.
     */
    static Engine newEngine(ScriptCompiler.Mode mode, LogSink log, boolean faultGuard) {
        EngineOptions d = EngineOptions.defaults();
        return new Engine(new EngineOptions(buildDir(), d.cellSize(), d.commandBufferBytes(), mode, log,
                faultGuard, d.callBudget(), d.isolatedMemoryLimit()));
    }

    /** Builds and loads {@code script} into {@code engine}; a failure stops the benchmark with the reason. */
    static void load(Engine engine, String script) {
        try {
            engine.loadScript(source(script));
        } catch (Exception e) {
            throw new IllegalStateException("cannot load benchmark script " + script + ": " + e.getMessage(), e);
        }
    }

    /** Builds and loads the script at {@code source} (outside bench/zig/bench). */
    static void loadFile(Engine engine, Path source) {
        try {
            engine.loadScript(source);
        } catch (Exception e) {
            throw new IllegalStateException("cannot load " + source + ": " + e.getMessage(), e);
        }
    }

    /** Builds {@code script} without loading it (for {@link DirectBatch}). */
    static Path build(String script, ScriptCompiler.Mode mode) {
        Path home = KilnHome.locate();
        BuildResult result = new ScriptCompiler(ZigToolchain.locate(home), home, buildDir(), mode).build(source(script));
        if (!result.ok()) throw new IllegalStateException("cannot build " + script + ":\n" + result.compilerOutput());
        return result.library();
    }

    /**
     * Spawns {@code count} entities on a square grid in the XZ plane, so the spatial grid the
     * engine publishes has realistic, spread-out buckets rather than one crowded cell.
     */
    static long[] spawnGrid(World world, int count) {
        int side = (int) Math.ceil(Math.sqrt(count));
        long[] entities = new long[count];
        for (int i = 0; i < count; i++) {
            Vec3 position = new Vec3((i % side) * SPACING_UNITS, 0, (i / side) * SPACING_UNITS);
            entities[i] = world.spawn(position, Quat.IDENTITY, Vec3.ONE);
        }
        return entities;
    }
}
