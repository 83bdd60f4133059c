package dev.kiln.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.script.ScriptInstance;
import dev.kiln.script.StateFields;
import dev.kiln.testing.ReloadSession;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A script's inputs are what the compiler read: files reached by @embedFile, by a path with
 * `..`, through a symlink, or named before they exist all reload the script when saved.
 */
class ReloadInputsTest {
    /** State `value` is whatever the script's inputs make it; the tests change only the inputs. */
    static final String READS_HELPER = """
            const kiln = @import("kiln");
            const helper = @import("sub/../helper.zig");
            pub const State = struct { n: u32 = 0, value: u32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) !void {
                _ = ctx;
                self.n += 1;
                self.value = helper.value;
            }
            """;

    static final String EMBEDS = """
            const kiln = @import("kiln");
            const text = @embedFile("message.txt");
            pub const State = struct { n: u32 = 0, value: u32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) !void {
                _ = ctx;
                self.n += 1;
                self.value = text.len;
            }
            """;

    @TempDir
    Path dir;
    TestEngine t;
    ReloadSession session;
    ScriptInstance instance;

    void start(Path script) throws Exception {
        t = new TestEngine();
        t.load(script);
        instance = t.engine.scripts().attach(t.engine.world().spawn(), "main", 0, null);
        t.run(2);
        session = ReloadSession.watching(t);
    }

    @AfterEach
    void stop() throws Exception {
        if (session != null) session.close();
        if (t != null) t.close();
    }

    /** Runs frames until State `value` is {@code expected} (and the code behind it ran a frame). */
    void awaitValue(int expected) throws InterruptedException {
        session.await(() -> StateFields.read(instance, "value").equals((long) expected), "value " + expected);
    }

    <E extends ReloadEvent> void awaitEvent(Class<E> type, Predicate<E> match) throws InterruptedException {
        session.await(() -> session.events.stream().anyMatch(e -> type.isInstance(e) && match.test(type.cast(e))), type.getSimpleName());
    }

    @Test
    void aHelperDeletedThenRecreatedReloadsAndStateContinues() throws Exception {
        Path main = dir.resolve("main.zig");
        Path helper = dir.resolve("helper.zig");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(helper, "pub const value: u32 = 1;\n");
        Files.writeString(main, READS_HELPER);
        start(main);
        awaitValue(1);
        assertThat(session.reloads.inputs("main")).contains(helper); // reached through `sub/..`

        Files.delete(helper);
        awaitEvent(ReloadEvent.BuildFailed.class, e -> true);
        long n = (Long) StateFields.read(instance, "n");

        Files.writeString(helper, "pub const value: u32 = 2;\n"); // no save of main.zig
        awaitValue(2);
        assertThat((Long) StateFields.read(instance, "n")).isGreaterThan(n); // State kept across the reload

        Files.writeString(helper, "pub const value: u32 = 3;\n");
        awaitValue(3);
    }

    @Test
    void anImportNamedBeforeItsFileExistsIsPickedUpWhenCreated() throws Exception {
        Path main = dir.resolve("main.zig");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("helper.zig"), "pub const value: u32 = 1;\n");
        Files.writeString(main, READS_HELPER);
        start(main);
        awaitValue(1);

        ReloadSession.save(main, READS_HELPER.replace("sub/../helper.zig", "later/extra.zig"));
        awaitEvent(ReloadEvent.BuildFailed.class, e -> true);
        assertThat(session.reloads.inputs("main")).contains(dir.resolve("later/extra.zig")); // missing, and watched
        Files.createDirectories(dir.resolve("later")); // the folder does not exist either
        Files.writeString(dir.resolve("later/extra.zig"), "pub const value: u32 = 7;\n");
        awaitValue(7);
    }

    @Test
    void savingAnEmbeddedFileReloads() throws Exception {
        Path main = dir.resolve("main.zig");
        Files.writeString(dir.resolve("message.txt"), "abc");
        Files.writeString(main, EMBEDS);
        start(main);
        awaitValue(3);
        ReloadSession.save(dir.resolve("message.txt"), "abcdefgh");
        awaitValue(8);
    }

    @Test
    void savingASymlinkedHelperAtItsRealLocationReloads() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        Files.createDirectories(scripts.resolve("sub"));
        Path target = shared.resolve("real_helper.zig");
        Files.writeString(target, "pub const value: u32 = 4;\n");
        Files.createSymbolicLink(scripts.resolve("helper.zig"), target);
        Path main = scripts.resolve("main.zig");
        Files.writeString(main, READS_HELPER);
        start(main);
        awaitValue(4);
        ReloadSession.save(target, "pub const value: u32 = 5;\n"); // the folder of the link's target, not of the script
        awaitValue(5);

        // A link whose target does not exist yet: its creation, in a folder of its own, session.reloads.
        Path later = dir.resolve("elsewhere/later_helper.zig");
        Files.createSymbolicLink(scripts.resolve("other.zig"), later);
        ReloadSession.save(main, READS_HELPER.replace("sub/../helper.zig", "other.zig"));
        awaitEvent(ReloadEvent.BuildFailed.class, e -> true);
        Files.createDirectories(later.getParent());
        Files.writeString(later, "pub const value: u32 = 6;\n");
        awaitValue(6);
    }

    /** A folder of helpers reached through a symlinked folder: a save at the real location reloads. */
    @Test
    void savingAHelperInASymlinkedFolderReloads() throws Exception {
        Path real = Files.createDirectories(dir.resolve("shared/lib"));
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        Files.writeString(real.resolve("helper.zig"), "pub const value: u32 = 4;\n");
        Files.createSymbolicLink(scripts.resolve("lib"), real);
        Path main = scripts.resolve("main.zig");
        Files.writeString(main, READS_HELPER.replace("sub/../helper.zig", "lib/helper.zig"));
        start(main);
        awaitValue(4);
        ReloadSession.save(real.resolve("helper.zig"), "pub const value: u32 = 9;\n");
        awaitValue(9);
    }

    /** A symlink pointed at another file (`ln -sf`): the link changed, not a file's bytes, and the script reloads. */
    @Test
    void aSymlinkPointedElsewhereReloads() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        Files.createDirectories(scripts.resolve("sub"));
        Path one = Files.writeString(dir.resolve("one.zig"), "pub const value: u32 = 1;\n");
        Path two = Files.writeString(dir.resolve("two.zig"), "pub const value: u32 = 2;\n");
        Path link = scripts.resolve("helper.zig");
        Files.createSymbolicLink(link, one);
        Path main = scripts.resolve("main.zig");
        Files.writeString(main, READS_HELPER);
        start(main);
        awaitValue(1);
        Path fresh = scripts.resolve(".helper.zig.new");
        Files.createSymbolicLink(fresh, two);
        Files.move(fresh, link, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        awaitValue(2);
    }
}
