package dev.kiln.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.script.ScriptInstance;
import dev.kiln.script.StateFields;
import dev.kiln.testing.ReloadSession;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keep-last-good: a reloaded version that faults while on probation goes back to the last good one. */
class KeepLastGoodTest {
    /** Counts updates; panics once it has counted past 1000 (a bug the reload brings in). */
    static final String FAULTY = LibrarySwapTest.V1.replace("self.count += 1;",
            "self.count += 1000; if (self.count > 1000) @panic(\"count ran away\");");

    @TempDir
    Path dir;
    TestEngine t;
    ReloadSession session;
    Path file;
    ScriptInstance instance;

    @BeforeEach
    void startWithVersionOne() throws Exception {
        t = new TestEngine();
        file = dir.resolve("counter.zig");
        Files.writeString(file, LibrarySwapTest.V1);
        t.load(file);
        instance = t.engine.scripts().attach(t.engine.world().spawn(), "counter", 0, null);
        t.run(3);
        session = ReloadSession.watching(t);
    }

    @AfterEach
    void stop() throws Exception {
        session.close();
        t.close();
    }

    @Test
    void aVersionThatFaultsOnProbationIsRolledBackWithItsState() throws Exception {
        long before = (Long) StateFields.read(instance, "count");
        save(FAULTY);
        ReloadEvent.RolledBack rolledBack = session.await(ReloadEvent.RolledBack.class, e -> true);
        assertThat(rolledBack.reason()).contains("count ran away");
        assertThat(rolledBack.paused()).isFalse();
        session.await(ReloadEvent.Reloaded.class, ReloadEvent.Reloaded::reverted);
        assertThat(instance.fault()).isNull(); // re-enabled on the good version
        long count = (Long) StateFields.read(instance, "count");
        assertThat(count).isGreaterThan(before); // State came back, not reset
        t.run(2);
        assertThat(StateFields.read(instance, "count")).isEqualTo(count + 2); // version one's code counts by 1
        assertThat(session.reloads.lastFailure("counter")).containsInstanceOf(ReloadEvent.RolledBack.class);
    }

    @Test
    void twoRollbacksInARowPauseAutoReloadUntilTheSourceIsSaved() throws Exception {
        save(FAULTY);
        session.await(ReloadEvent.Reloaded.class, ReloadEvent.Reloaded::reverted);
        save(FAULTY.replace("count ran away", "ran away again"));
        ReloadEvent.RolledBack second = session.await(ReloadEvent.RolledBack.class, e -> e.reason().contains("again"));
        assertThat(second.paused()).isTrue();
        session.await(ReloadEvent.Reloaded.class, r -> r.reverted() && session.events.indexOf(r) > session.events.indexOf(second));
        assertThat(session.reloads.paused("counter")).isTrue();

        save(LibrarySwapTest.V2); // the author's next save resumes
        session.await(ReloadEvent.Reloaded.class, r -> !r.reverted() && r.swap().changes().stream().anyMatch(c -> c.field().equals("bonus")));
        assertThat(session.reloads.paused("counter")).isFalse();
    }

    @Test
    void aVersionThatRunsItsProbationCleanlyStays() throws Exception {
        session.reloads.setProbationFrames(5);
        save(LibrarySwapTest.V2);
        session.await(ReloadEvent.Reloaded.class, r -> !r.reverted());
        t.run(20);
        assertThat(session.events).noneMatch(e -> e instanceof ReloadEvent.RolledBack);
        assertThat(StateFields.read(instance, "bonus")).isEqualTo(42);
    }

    void save(String source) throws Exception {
        Path temp = dir.resolve(".counter.zig.swp");
        Files.writeString(temp, source);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
