package dev.kiln.reload;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * Never swap in a transient file: an emptied or unparseable save waits for the file to settle,
 * and a version that would drop every State field runs only once confirmed.
 */
class TransientSaveTest {
    /** Keeps none of LibrarySwapTest.V1's field names. */
    static final String RENAMED_EVERYTHING = """
            const kiln = @import("kiln");
            pub const State = struct { other: u32 = 9 };
            pub fn update(self: *State, ctx: *kiln.Context) !void {
                self.other += 1;
                try ctx.translate(ctx.entity, kiln.vec3(0, 0, 1));
            }
            """;

    @TempDir
    Path dir;
    TestEngine t;
    ReloadSession session;
    Path file;
    long entity;
    ScriptInstance instance;

    @BeforeEach
    void start() throws Exception {
        t = new TestEngine();
        file = dir.resolve("counter.zig");
        Files.writeString(file, LibrarySwapTest.V1);
        t.load(file);
        entity = t.engine.world().spawn();
        instance = t.engine.scripts().attach(entity, "counter", 0, null);
        t.run(3);
        session = ReloadSession.watching(t);
    }

    @AfterEach
    void stop() throws Exception {
        session.close();
        t.close();
    }

    @Test
    void anEmptiedScriptWhoseContentLandsLaterKeepsItsState() throws Exception {
        Files.writeString(file, ""); // truncate in place, as some editors do before writing
        session.await(ReloadEvent.Settling.class, e -> e.why().equals("is empty"));
        long countBefore = (Long) StateFields.read(instance, "count");
        Thread.sleep(500);
        Files.writeString(file, LibrarySwapTest.V2);
        session.await(ReloadEvent.Reloaded.class, e -> true);
        assertThat((Long) StateFields.read(instance, "count")).isGreaterThanOrEqualTo(countBefore);
        assertThat(StateFields.read(instance, "bonus")).isEqualTo(42); // version two runs
        assertThat(session.events.stream().filter(e -> e instanceof ReloadEvent.BuildStarted)).hasSize(1);
    }

    /** An editor that moves the file aside (a backup) and writes a new one later: the gap is not a save. */
    @Test
    void aScriptMovedAsideAndWrittenAnewKeepsItsState() throws Exception {
        Files.move(file, dir.resolve("counter.zig~"));
        session.await(ReloadEvent.Settling.class, e -> true);
        long countBefore = (Long) StateFields.read(instance, "count");
        Thread.sleep(500);
        Files.writeString(file, LibrarySwapTest.V2);
        session.await(ReloadEvent.Reloaded.class, e -> true);
        assertThat((Long) StateFields.read(instance, "count")).isGreaterThanOrEqualTo(countBefore);
        assertThat(StateFields.read(instance, "bonus")).isEqualTo(42);
        assertThat(session.events.stream().filter(e -> e instanceof ReloadEvent.BuildStarted)).hasSize(1);
    }

    /** Two complete saves a few milliseconds apart: the second's content runs, the first's never does. */
    @Test
    void twoSavesInQuickSuccessionRunTheLatest() throws Exception {
        Files.writeString(file, RENAMED_EVERYTHING);
        Files.writeString(file, LibrarySwapTest.V2);
        session.await(ReloadEvent.Reloaded.class, e -> true);
        assertThat(StateFields.read(instance, "bonus")).isEqualTo(42);
        assertThat(session.events).noneMatch(e -> e instanceof ReloadEvent.NeedsConfirmation);
    }

    @Test
    void anUnparseableSaveFixedWithinTheSettleTimeIsNeverBuilt() throws Exception {
        Files.writeString(file, LibrarySwapTest.V1.substring(0, LibrarySwapTest.V1.length() / 2)); // cut off
        session.await(ReloadEvent.Settling.class, e -> e.why().equals("does not parse"));
        Files.writeString(file, LibrarySwapTest.V2);
        session.await(ReloadEvent.Reloaded.class, e -> true);
        assertThat(session.events).noneMatch(e -> e instanceof ReloadEvent.BuildFailed);
    }

    @Test
    void anUnparseableSaveThatStaysIsReportedOnceSettled() throws Exception {
        Files.writeString(file, LibrarySwapTest.V1.replace("pub fn update(", "pub fn update(("));
        ReloadEvent.BuildFailed failed = session.await(ReloadEvent.BuildFailed.class, e -> true);
        assertThat(failed.diagnostics().getFirst().file()).isEqualTo(file); // the real file, not the build's copy
    }

    @Test
    void aMistakeThatParsesIsBuiltAndReportedAtOnce() throws Exception {
        ReloadSession.save(file, LibrarySwapTest.V1.replace("self.count += 1;", "self.count += oops;"));
        session.await(ReloadEvent.BuildFailed.class, e -> true);
        assertThat(session.events).noneMatch(e -> e instanceof ReloadEvent.Settling);
    }

    @Test
    void aVersionDroppingEveryFieldRunsOnlyWhenTheSameContentIsSavedAgain() throws Exception {
        ReloadSession.save(file, RENAMED_EVERYTHING);
        ReloadEvent.NeedsConfirmation held = session.await(ReloadEvent.NeedsConfirmation.class, e -> true);
        assertThat(held.dropped()).containsExactly("count", "speed", "doomed", "tag");
        assertThat(ReloadReport.describe(held)).isEqualTo("reload: counter not swapped: the new version drops every "
                + "State field (count, speed, doomed, tag); save again to confirm");
        long count = (Long) StateFields.read(instance, "count");
        t.run(2);
        assertThat(StateFields.read(instance, "count")).isEqualTo(count + 2); // the running version stays

        ReloadSession.save(file, RENAMED_EVERYTHING); // the same content again: confirmed
        session.await(ReloadEvent.Reloaded.class, e -> true);
        float z = t.engine.world().position(entity).z();
        t.run(1);
        assertThat(t.engine.world().position(entity).z()).isEqualTo(z + 1);
    }

    @Test
    void aVersionThatMapsStateInItsMigrateHookIsNotHeld() throws Exception {
        ReloadSession.save(file, RENAMED_EVERYTHING + """
                pub fn migrate(self: *State, old: kiln.OldState) void {
                    if (old.get(u32, "count")) |count| self.other = count * 1000; // a rename, on purpose
                }
                """);
        session.await(ReloadEvent.Reloaded.class, e -> true);
        assertThat(session.events).noneMatch(e -> e instanceof ReloadEvent.NeedsConfirmation);
        assertThat((Long) StateFields.read(instance, "other")).isGreaterThanOrEqualTo(3000L);
    }

    @Test
    void confirmSwapsTheHeldVersion() throws Exception {
        assertThat(session.reloads.confirm("counter")).isFalse(); // nothing held
        ReloadSession.save(file, RENAMED_EVERYTHING);
        session.await(ReloadEvent.NeedsConfirmation.class, e -> true);
        assertThat(session.reloads.confirm("counter")).isTrue();
        session.await(ReloadEvent.Reloaded.class, e -> true);
        long other = (Long) StateFields.read(instance, "other");
        assertThat(other).isGreaterThanOrEqualTo(9L); // the new field starts at its default, 9
        t.run(1);
        assertThat(StateFields.read(instance, "other")).isEqualTo(other + 1);
    }
}
