package dev.kiln.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.script.ScriptInstance;
import dev.kiln.script.StateFields;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
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
    HotReloadManager reloads;
    final List<ReloadEvent> events = new CopyOnWriteArrayList<>();
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
        reloads = new HotReloadManager(t.engine, Duration.ofMillis(100), events::add);
        reloads.watchSources();
    }

    @AfterEach
    void stop() throws Exception {
        reloads.close();
        t.close();
    }

    <E extends ReloadEvent> E await(Class<E> type, Predicate<E> match) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            t.step();
            for (ReloadEvent e : events) {
                if (type.isInstance(e) && match.test(type.cast(e))) return type.cast(e);
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no " + type.getSimpleName() + " event; got " + events);
    }

    @Test
    void anEmptiedScriptWhoseContentLandsLaterKeepsItsState() throws Exception {
        Files.writeString(file, ""); // truncate in place, as some editors do before writing
        await(ReloadEvent.Settling.class, e -> e.why().equals("is empty"));
        long countBefore = (Long) StateFields.read(instance, "count");
        Thread.sleep(500);
        Files.writeString(file, LibrarySwapTest.V2);
        await(ReloadEvent.Reloaded.class, e -> true);
        assertThat((Long) StateFields.read(instance, "count")).isGreaterThanOrEqualTo(countBefore);
        assertThat(StateFields.read(instance, "bonus")).isEqualTo(42); // version two runs
        assertThat(events.stream().filter(e -> e instanceof ReloadEvent.BuildStarted)).hasSize(1);
    }

    @Test
    void anUnparseableSaveFixedWithinTheSettleTimeIsNeverBuilt() throws Exception {
        Files.writeString(file, LibrarySwapTest.V1.substring(0, LibrarySwapTest.V1.length() / 2)); // cut off
        await(ReloadEvent.Settling.class, e -> e.why().equals("does not parse"));
        Files.writeString(file, LibrarySwapTest.V2);
        await(ReloadEvent.Reloaded.class, e -> true);
        assertThat(events).noneMatch(e -> e instanceof ReloadEvent.BuildFailed);
    }

    @Test
    void anUnparseableSaveThatStaysIsReportedOnceSettled() throws Exception {
        Files.writeString(file, LibrarySwapTest.V1.replace("pub fn update(", "pub fn update(("));
        ReloadEvent.BuildFailed failed = await(ReloadEvent.BuildFailed.class, e -> true);
        assertThat(failed.diagnostics().getFirst().file()).isEqualTo(file); // the real file, not the build's copy
    }

    @Test
    void aMistakeThatParsesIsBuiltAndReportedAtOnce() throws Exception {
        ReloadInputsTest.save(file, LibrarySwapTest.V1.replace("self.count += 1;", "self.count += oops;"));
        await(ReloadEvent.BuildFailed.class, e -> true);
        assertThat(events).noneMatch(e -> e instanceof ReloadEvent.Settling);
    }

    @Test
    void aVersionDroppingEveryFieldRunsOnlyWhenTheSameContentIsSavedAgain() throws Exception {
        ReloadInputsTest.save(file, RENAMED_EVERYTHING);
        ReloadEvent.NeedsConfirmation held = await(ReloadEvent.NeedsConfirmation.class, e -> true);
        assertThat(held.dropped()).containsExactly("count", "speed", "doomed", "tag");
        assertThat(ReloadReport.describe(held)).isEqualTo("reload: counter not swapped: the new version drops every "
                + "State field (count, speed, doomed, tag); save again to confirm");
        long count = (Long) StateFields.read(instance, "count");
        t.run(2);
        assertThat(StateFields.read(instance, "count")).isEqualTo(count + 2); // the running version stays

        ReloadInputsTest.save(file, RENAMED_EVERYTHING); // the same content again: confirmed
        await(ReloadEvent.Reloaded.class, e -> true);
        float z = t.engine.world().position(entity).z();
        t.run(1);
        assertThat(t.engine.world().position(entity).z()).isEqualTo(z + 1);
    }

    @Test
    void aVersionThatMapsStateInItsMigrateHookIsNotHeld() throws Exception {
        ReloadInputsTest.save(file, RENAMED_EVERYTHING + """
                pub fn migrate(self: *State, old: kiln.OldState) void {
                    if (old.get(u32, "count")) |count| self.other = count * 1000; // a rename, on purpose
                }
                """);
        await(ReloadEvent.Reloaded.class, e -> true);
        assertThat(events).noneMatch(e -> e instanceof ReloadEvent.NeedsConfirmation);
        assertThat((Long) StateFields.read(instance, "other")).isGreaterThanOrEqualTo(3000L);
    }

    @Test
    void confirmSwapsTheHeldVersion() throws Exception {
        assertThat(reloads.confirm("counter")).isFalse(); // nothing held
        ReloadInputsTest.save(file, RENAMED_EVERYTHING);
        await(ReloadEvent.NeedsConfirmation.class, e -> true);
        assertThat(reloads.confirm("counter")).isTrue();
        await(ReloadEvent.Reloaded.class, e -> true);
        long other = (Long) StateFields.read(instance, "other");
        assertThat(other).isGreaterThanOrEqualTo(9L); // the new field starts at its default, 9
        t.run(1);
        assertThat(StateFields.read(instance, "other")).isEqualTo(other + 1);
    }
}
