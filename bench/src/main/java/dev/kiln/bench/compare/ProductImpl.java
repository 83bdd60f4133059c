package dev.kiln.bench.compare;

import dev.kiln.ecs.World;
import dev.kiln.engine.Engine;
import dev.kiln.engine.EngineOptions;
import dev.kiln.engine.FrameStats;
import dev.kiln.script.LogEntry;
import dev.kiln.script.LogSink;
import java.nio.file.Path;

/** The product: the workload's Zig script(s) attached per entity, run by {@code Engine.step}. */
final class ProductImpl implements Impl {
    private static final String[] LAYER_SCRIPTS = {"bench_layer_pre", "bench_layer_update", "bench_layer_post"};
    private static final int[] LAYER_PRIORITIES = {-10, 0, 10};

    private final Engine engine;
    private final Workload workload;
    private long logged;
    private LogEntry firstLog;
    FrameStats last;

    ProductImpl(Workload workload, int n) {
        this.workload = workload;
        LogSink sink = entry -> {
            // The demo's scripts log as they play (catches, the score): only warnings and errors count.
            if (workload == Workload.DEMO && entry.level() == LogEntry.Level.INFO) return;
            if (firstLog == null) firstLog = entry;
            logged++;
        };
        // A benchmark runs millions of frames, past a recording's budget: it runs without one.
        // The recorder's cost is RewindBench's to measure.
        EngineOptions options = EngineOptions.defaults().withBuildDir(CompareSupport.buildDir()).withLog(sink)
                .withRecording(false);
        if (workload == Workload.DEMO) options = DemoScene.settings().applyTo(options);
        // Callgrind runs (-Dkiln.compare.mcpu): the fault guard is built for the native CPU
        // (AVX-512, which valgrind 3.19 cannot decode) and installs signal handlers; it costs
        // per downcall, not per entity, so leaving it out does not change a per-update count.
        if (!CompareSupport.mcpu().isEmpty()) options = options.withFaultGuard(false);
        engine = new Engine(options);
        World world = engine.world();
        switch (workload) {
            case W1, W7 -> attachEach(world, CompareSupport.spawnGrid(world, n), "cmp_w1_move");
            case W2 -> attachEach(world, CompareSupport.spawnGrid(world, n), "cmp_w2_boids");
            case W3 -> attachEach(world, CompareSupport.spawnGrid(world, Logic.CHURN_SPAWNERS), "cmp_w3_spawner");
            case W4 -> {
                long[] handles = CompareSupport.spawnGrid(world, n);
                for (long h : handles) world.addTag(h, "w4");
                attachEach(world, handles, "cmp_w4_signals");
            }
            case W5 -> {
                for (String s : LAYER_SCRIPTS) load(CompareSupport.benchZig(s));
                for (long e : CompareSupport.spawnGrid(world, n)) {
                    for (int s = 0; s < LAYER_SCRIPTS.length; s++) {
                        engine.scripts().attach(e, LAYER_SCRIPTS[s], LAYER_PRIORITIES[s], null);
                    }
                }
            }
            case W6 -> {
                long[] handles = CompareSupport.spawnGrid(world, n);
                var sources = MixLibraries.build(n);
                for (int l = 0; l < sources.size(); l++) {
                    load(sources.get(l));
                    for (int k = 0; k < Logic.MIX_INSTANCES_PER_LIBRARY; k++) {
                        engine.scripts().attach(handles[l * Logic.MIX_INSTANCES_PER_LIBRARY + k], MixLibraries.name(l), 0, null);
                    }
                }
            }
            case DEMO -> DemoScene.load(engine);
        }
    }

    private void attachEach(World world, long[] handles, String script) {
        load(CompareSupport.compareZig(script + ".zig"));
        for (long h : handles) engine.scripts().attach(h, script, 0, null);
    }

    private void load(Path source) {
        try {
            if (CompareSupport.mcpu().isEmpty()) engine.loadScript(source);
            else engine.loadLibrary(CompareSupport.buildScriptForCpu(source));
        } catch (Exception e) {
            throw new IllegalStateException("cannot load " + source + ": " + e.getMessage(), e);
        }
    }

    Engine engine() {
        return engine;
    }

    @Override
    public void frame() {
        last = engine.step(CompareSupport.DT);
    }

    @Override
    public float[] positions() {
        return CompareSupport.positions(engine.world(), workload);
    }

    @Override
    public void requireHealthy() {
        if (logged > 0) throw new IllegalStateException("kiln " + workload + ": the engine logged " + logged
                + " line(s), first: " + firstLog);
    }

    @Override
    public void close() {
        engine.close();
    }
}
