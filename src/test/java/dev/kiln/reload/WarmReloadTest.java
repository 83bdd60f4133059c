package dev.kiln.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.build.ScriptCompiler;
import dev.kiln.engine.EngineOptions;
import dev.kiln.script.ScriptInstance;
import dev.kiln.script.StateFields;
import dev.kiln.testing.ReloadSession;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The development profile's warm compiler (ScriptCompiler.Mode.DEVELOPMENT): the build at
 * start-up leaves a compiler running, a reload is an update of that same process, and a save
 * during a running build stops it and builds the latest content. Not timed: the figures are
 * ./kiln bench reload's.
 */
class WarmReloadTest {
    /** revision is what the test reads back; SLOW adds a long comptime loop to keep the compiler busy. */
    static final String SCRIPT = """
            const kiln = @import("kiln");
            const revision: u32 = %d;
            const slow = blk: {
                @setEvalBranchQuota(100_000_000);
                var i: u64 = 0;
                while (i < %d) : (i += 1) {}
                break :blk i;
            };
            pub const State = struct { seen: u32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) !void {
                _ = ctx;
                self.seen = revision + @as(u32, @intCast(slow & 0));
            }
            """;
    /** State grows a field before the others and `kept` widens: a layout edit. */
    static final String KEEPER_V1 = """
            const kiln = @import("kiln");
            pub const State = struct { seen: u32 = 0, kept: u32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) void {
                _ = ctx;
                self.seen = 2;
                self.kept = 77;
            }
            """;
    static final String KEEPER_V2 = """
            const kiln = @import("kiln");
            pub const State = struct { pad: f64 = 2.5, kept: u64 = 0, seen: u32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) void {
                _ = ctx;
                self.seen = 3;
            }
            """;
    /** Comptime loop iterations that keep the compiler busy for seconds; 1 is instant. */
    static final long SLOW = 20_000_000;

    @TempDir
    Path dir;
    TestEngine t;
    ReloadSession session;
    List<ReloadEvent> events;
    Path file;
    ScriptInstance instance;

    @BeforeEach
    void start() throws Exception {
        t = new TestEngine(EngineOptions.defaults().withMode(ScriptCompiler.Mode.DEVELOPMENT));
        file = dir.resolve("warm" + System.nanoTime() + ".zig"); // a name no earlier run cached
        Files.writeString(file, SCRIPT.formatted(1, 1));
        t.load(file);
        instance = t.engine.scripts().attach(t.engine.world().spawn(), ScriptCompiler.scriptName(file), 0, null);
        t.run(2);
        assertThat(StateFields.read(instance, "seen")).isEqualTo(1L);
        session = ReloadSession.watching(t);
        events = session.events;
        // Watching primes the compiler started at load with one throw-away update before any save.
        session.await(() -> t.engine.compiler().warmCompiler(file).map(w -> w.updates() == 2).orElse(false),
                "the compiler primed");
    }

    @AfterEach
    void stop() throws Exception {
        if (session != null) session.close();
        t.close();
    }

    void save(String source) throws Exception {
        ReloadSession.save(file, source);
    }

    /** Steps frames until the instance runs {@code revision}; fails on a build failure. */
    void awaitRunning(long revision) throws Exception {
        session.await(() -> {
            for (ReloadEvent e : events) {
                if (e instanceof ReloadEvent.BuildFailed f) throw new AssertionError(f.compilerOutput());
            }
            return Long.valueOf(revision).equals(StateFields.read(instance, "seen"));
        }, "revision " + revision + " running");
    }

    @Test
    void aReloadIsAnUpdateOfTheCompilerStartedAtLoad() throws Exception {
        ScriptCompiler.WarmCompiler atLoad = t.engine.compiler().warmCompiler(file).orElseThrow();
        assertThat(atLoad.updates()).as("the load's build and the priming update").isEqualTo(2);
        for (int revision = 2; revision <= 3; revision++) {
            save(SCRIPT.formatted(revision, 1));
            awaitRunning(revision);
            ScriptCompiler.WarmCompiler now = t.engine.compiler().warmCompiler(file).orElseThrow();
            assertThat(now.pid()).as("the same compiler process").isEqualTo(atLoad.pid());
            assertThat(now.updates()).isEqualTo(revision + 1);
        }
    }

    /**
     * A State-layout edit built by the same warm compiler runs with the new layout's metadata:
     * values kept by name, the new field at its default (before the SDK exported from top-level
     * functions, Zig 0.17.1 handed back the first build's metadata here).
     */
    @Test
    void aStateLayoutEditThroughTheWarmCompilerMigratesByTheNewLayout() throws Exception {
        long pid = t.engine.compiler().warmCompiler(file).orElseThrow().pid();
        save(KEEPER_V1);
        awaitRunning(2);
        assertThat(StateFields.read(instance, "kept")).isEqualTo(77L);
        save(KEEPER_V2);
        awaitRunning(3);
        assertThat(instance.library().info().stateFields()).extracting(f -> f.name() + ":" + f.size())
                .containsExactly("pad:8", "kept:8", "seen:4");
        assertThat(StateFields.read(instance, "kept")).isEqualTo(77L);
        assertThat(StateFields.read(instance, "pad")).isEqualTo(2.5);
        String hash = instance.library().info().sourceHash(); // this build's, not the first one's
        assertThat(instance.library().libraryPath().getFileName().toString()).contains("-" + hash.substring(0, 16) + ".so");
        ScriptCompiler.WarmCompiler now = t.engine.compiler().warmCompiler(file).orElseThrow();
        assertThat(now.pid()).as("the same compiler process").isEqualTo(pid);
        assertThat(now.updates()).isEqualTo(4);
        assertThat(events).noneMatch(e -> e instanceof ReloadEvent.LoadFailed);
    }

    /**
     * A library that came from the cache had no compiler at load: watching it starts one, so
     * the first save is an update of a running compiler.
     */
    @Test
    void aCachedLibraryGetsItsCompilerBeforeTheFirstSave() throws Exception {
        try (TestEngine second = new TestEngine(EngineOptions.defaults().withMode(ScriptCompiler.Mode.DEVELOPMENT))) {
            second.load(file); // built by the first engine: from the cache
            assertThat(second.engine.compiler().warmCompiler(file)).isEmpty();
            try (ReloadSession watching = ReloadSession.watching(second)) {
                watching.await(() -> second.engine.compiler().warmCompiler(file).map(w -> w.updates() == 2).orElse(false),
                        "a compiler started and primed without a save");
                assertThat(watching.events).noneMatch(e -> e instanceof ReloadEvent.BuildStarted);
            }
        }
    }

    /** What the loader's STALE_METADATA refusal leads to: the library forgotten, the compiler started again. */
    @Test
    void aRetiredStaleLibraryIsBuiltAgainByAFreshCompiler() throws Exception {
        ScriptCompiler compiler = t.engine.compiler();
        long pid = compiler.warmCompiler(file).orElseThrow().pid();
        Path library = instance.library().libraryPath();
        assertThat(compiler.retireStale(file, library)).isTrue();
        assertThat(library).doesNotExist();
        assertThat(library.resolveSibling(library.getFileName() + ".inputs")).doesNotExist();
        assertThat(compiler.warmCompiler(file)).isEmpty();
        var again = compiler.build(file);
        assertThat(again.cached()).as("not served from the cache").isFalse();
        assertThat(again.library()).isEqualTo(library).exists();
        assertThat(compiler.warmCompiler(file).orElseThrow().pid()).isNotEqualTo(pid);
    }

    @Test
    void aSaveDuringABuildStopsItAndTheLatestContentRuns() throws Exception {
        save(SCRIPT.formatted(2, SLOW)); // keeps the compiler busy
        session.await(ReloadEvent.BuildStarted.class);
        Thread.sleep(200); // the update is under way
        save(SCRIPT.formatted(3, 1));
        awaitRunning(3);
        assertThat(events).anyMatch(e -> e instanceof ReloadEvent.Superseded);
        assertThat(events.stream().filter(e -> e instanceof ReloadEvent.Reloaded).count())
                .as("revision 2 never swapped in").isEqualTo(1);
        assertThat(StateFields.read(instance, "seen")).isEqualTo(3L);
    }

    @Test
    void anIdleCompilerStopsAndTheNextSaveStartsAFreshOne() throws Exception {
        ScriptCompiler compiler = t.engine.compiler();
        long pid = compiler.warmCompiler(file).orElseThrow().pid();
        compiler.limitWarmCompilers(Duration.ofMillis(300), Long.MAX_VALUE);
        session.await(() -> compiler.warmCompiler(file).isEmpty(), "the idle compiler stopped");
        session.await(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "its process gone");
        compiler.limitWarmCompilers(Duration.ofMinutes(5), Long.MAX_VALUE);
        save(SCRIPT.formatted(2, 1));
        awaitRunning(2);
        assertThat(compiler.warmCompiler(file).orElseThrow().pid()).as("a fresh compiler").isNotEqualTo(pid);
    }

    @Test
    void compilersOverTheMemoryBoundStopOnceIdleAndSavesStillReload() throws Exception {
        ScriptCompiler compiler = t.engine.compiler();
        assertThat(compiler.warmCompiler(file)).isPresent();
        compiler.limitWarmCompilers(Duration.ofMinutes(5), 1); // any compiler is over one byte
        session.await(() -> compiler.warmCompiler(file).isEmpty(), "the compiler over the bound stopped");
        save(SCRIPT.formatted(2, 1));
        awaitRunning(2);
        assertThat(StateFields.read(instance, "seen")).isEqualTo(2L);
    }
}
