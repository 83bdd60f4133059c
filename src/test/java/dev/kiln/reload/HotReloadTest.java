package dev.kiln.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.build.Diagnostic;
import dev.kiln.script.ScriptInstance;
import dev.kiln.script.StateFields;
import dev.kiln.testing.ReloadSession;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edit a script file while the engine runs: the watcher, build, swap and failure paths. */
class HotReloadTest {
    @TempDir
    Path dir;
    TestEngine t;
    ReloadSession session;
    private Path file;
    private long entity;
    private ScriptInstance instance;

    @BeforeEach
    void startWithVersionOne() throws Exception {
        t = new TestEngine();
        file = dir.resolve("counter.zig");
        Files.writeString(file, LibrarySwapTest.V1);
        if (isolated()) t.loadIsolated(file);
        else t.load(file);
        entity = t.engine.world().spawn();
        instance = t.engine.scripts().attach(entity, "counter", 0, null);
        t.run(3);
        session = ReloadSession.watching(t);
    }

    /** IsolatedHotReloadTest runs every test here with the script in isolated mode. */
    boolean isolated() {
        return false;
    }

    @AfterEach
    void stop() throws Exception {
        session.close();
        t.close();
    }

    void save(String source) throws Exception {
        ReloadSession.save(file, source);
    }

    @Test
    void savingNewCodeRunsItInTheNextFramesWithStateKept() throws Exception {
        save(LibrarySwapTest.V2);
        ReloadEvent.Reloaded reloaded = session.await(ReloadEvent.Reloaded.class);
        long countAtSwap = (Long) StateFields.read(instance, "count");
        assertThat(countAtSwap).isGreaterThanOrEqualTo(3);
        assertThat(reloaded.swap().instances()).isEqualTo(1);
        float xAtSwap = t.engine.world().position(entity).x();
        float yAtSwap = t.engine.world().position(entity).y(); // the swap frame already ran new code
        assertThat(yAtSwap).isEqualTo(1f);
        t.run(4);
        assertThat(t.engine.world().position(entity).y()).isEqualTo(yAtSwap + 4);   // new code: moves along y
        assertThat(t.engine.world().position(entity).x()).isEqualTo(xAtSwap);
        assertThat(StateFields.read(instance, "count")).isEqualTo(countAtSwap + 4);
        assertThat(StateFields.read(instance, "bonus")).isEqualTo(42);
        assertThat(reloaded.savedToRunningNanos()).isGreaterThan(reloaded.buildNanos());
    }

    @Test
    void aCompileErrorKeepsTheOldCodeRunningAndNamesFileLineAndColumn() throws Exception {
        save(LibrarySwapTest.V1.replace("self.count += 1;", "self.count += oops;"));
        ReloadEvent.BuildFailed failed = session.await(ReloadEvent.BuildFailed.class);
        Diagnostic d = failed.diagnostics().getFirst();
        assertThat(d.file().getFileName().toString()).isEqualTo("counter.zig");
        assertThat(d.line()).isEqualTo(4);
        assertThat(d.column()).isEqualTo(19);
        assertThat(d.message()).contains("undeclared identifier 'oops'");
        float x = t.engine.world().position(entity).x();
        t.run(2);
        assertThat(t.engine.world().position(entity).x()).isEqualTo(x + 2); // still version one

        save(LibrarySwapTest.V2); // the next good save recovers
        session.await(ReloadEvent.Reloaded.class);
        t.run(1);
        assertThat(t.engine.world().position(entity).y()).isEqualTo(2f);
    }

    @Test
    void revertReturnsToTheLastGoodVersionKeepingState() throws Exception {
        save(LibrarySwapTest.V2);
        session.await(ReloadEvent.Reloaded.class);
        assertThat(session.reloads.goodVersions("counter")).hasSize(2);
        assertThat(session.reloads.revert("counter")).isTrue();
        session.await(ReloadEvent.Reloaded.class, ReloadEvent.Reloaded::reverted);
        long count = (Long) StateFields.read(instance, "count");
        float x = t.engine.world().position(entity).x();
        t.run(2);
        assertThat(t.engine.world().position(entity).x()).isEqualTo(x + 2); // version one again
        assertThat(StateFields.read(instance, "count")).isEqualTo(count + 2);
        assertThat(session.reloads.revert("counter")).isFalse(); // nothing older than version one
    }

    @Test
    void aBurstOfSavesBuildsAtMostTwice() throws Exception {
        for (int i = 0; i < 20; i++) {
            save(LibrarySwapTest.V2.replace("bonus: i32 = 42", "bonus: i32 = " + (100 + i)));
            Thread.sleep(i % 5 == 0 ? 40 : 2);
        }
        session.await(ReloadEvent.Reloaded.class, r -> StateFields.read(instance, "bonus").equals(119));
        while (session.reloads.busy()) t.step();
        // A build a newer save stopped (on a loaded machine the quiet period can end mid-burst) is
        // superseded, not a build of its own.
        long builds = session.events.stream().filter(e -> e instanceof ReloadEvent.BuildStarted).count()
                - session.events.stream().filter(e -> e instanceof ReloadEvent.Superseded).count();
        assertThat(builds).isBetween(1L, 2L);
        assertThat(StateFields.read(instance, "bonus")).isEqualTo(119); // the last save won
    }

    @Test
    void autoReloadOffIgnoresSavesUntilReloadNow() throws Exception {
        session.reloads.setAutoReload(false);
        save(LibrarySwapTest.V2);
        for (int i = 0; i < 40; i++) {
            t.step();
            Thread.sleep(10);
        }
        assertThat(session.events).isEmpty();
        session.reloads.setAutoReload(true);
        session.reloads.reloadNow("counter");
        session.await(ReloadEvent.Reloaded.class);
        assertThat(t.engine.world().position(entity).y()).isEqualTo(1f); // the first frame on new code
    }

    @Test
    void savingAnImportedHelperFileReloadsTheScriptsThatUseIt() throws Exception {
        Path helper = dir.resolve("tuning.zig");
        Files.writeString(helper, "pub const step: f32 = 1;\n");
        save(LibrarySwapTest.V1.replace("const kiln = @import(\"kiln\");",
                "const kiln = @import(\"kiln\");\nconst tuning = @import(\"tuning.zig\");")
                .replace("kiln.vec3(self.speed, 0, 0)", "kiln.vec3(self.speed * tuning.step, 0, 0)"));
        session.await(ReloadEvent.Reloaded.class);
        session.events.clear();
        Files.writeString(helper, "pub const step: f32 = 10;\n"); // only the helper changes
        session.await(ReloadEvent.Reloaded.class);
        float x = t.engine.world().position(entity).x();
        t.run(1);
        assertThat(t.engine.world().position(entity).x()).isEqualTo(x + 10);
    }

    @Test
    void aSaveWithoutChangesIsNotASwap() throws Exception {
        save(LibrarySwapTest.V1);
        session.await(ReloadEvent.Unchanged.class);
        assertThat(session.events).noneMatch(e -> e instanceof ReloadEvent.Reloaded);
    }
}
