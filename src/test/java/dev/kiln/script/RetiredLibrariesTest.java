package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.build.BuildResult;
import dev.kiln.loader.ScriptCode;
import dev.kiln.testing.TestEngine;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A swap's old library is closed off the frame thread, once nothing can call it: the swap
 * returns with it still mapped, the frames after it never call it, and it leaves the process
 * when the closing thread has run; a refused swap tells that thread to stop polling for it.
 */
class RetiredLibrariesTest {
    static final String V1 = """
            const kiln = @import("kiln");
            pub const State = struct { count: u32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) void { _ = ctx; self.count += 1; }
            """;
    static final String V2 = """
            const kiln = @import("kiln");
            pub const State = struct { count: u32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) void { _ = ctx; self.count += 1000; }
            """;

    /** Runs closes only when told to, on the thread that tells it. */
    private static final class HeldCloses implements Executor {
        final List<Runnable> held = new ArrayList<>();

        @Override
        public synchronized void execute(Runnable close) {
            held.add(close);
        }

        /** Runs the held closes on a thread of their own (not the frame thread) and waits for them. */
        synchronized void release() throws InterruptedException {
            Thread t = Thread.ofPlatform().name("released-closes").unstarted(() -> held.forEach(Runnable::run));
            t.start();
            t.join();
        }
    }

    @Test
    void theOldLibraryIsClosedOffTheFrameThreadAndNeverCalledAfterTheSwap(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path file = dir.resolve("counter.zig");
            Files.writeString(file, V1);
            Path first = Files.copy(t.engine.compiler().build(file).library(), dir.resolve("libcounter-first.so"));
            t.engine.loadLibrary(first);
            ScriptInstance i = t.engine.scripts().attach(t.engine.world().spawn(), "counter", 0, null);
            t.run(3);
            MemorySegment oldState = i.stateMemory();
            assertThat(oldState.get(ValueLayout.JAVA_INT, 0)).isEqualTo(3);

            HeldCloses held = new HeldCloses();
            t.engine.scripts().retiredLibraries().closeOn(held);
            try {
                swapWithTheCloseHeld(t, file, first, i, oldState, held);
            } finally {
                held.release(); // a failed check must not leave the runtime's close waiting for it
            }
            t.engine.scripts().awaitClosedLibraries();
            assertThat(mapped(first)).as("the old version left the process once closed").isFalse();
            assertThat(t.messages(LogEntry.Level.WARN)).noneMatch(m -> m.contains("still mapped"));
            t.run(2);
            assertThat(i.stateMemory().get(ValueLayout.JAVA_INT, 0)).isEqualTo(5003);
        }
    }

    /** The swap to V2 while the old version's close is held back, and the frames after it. */
    private static void swapWithTheCloseHeld(TestEngine t, Path file, Path first, ScriptInstance i, MemorySegment oldState,
                                             HeldCloses held) throws Exception {
        Files.writeString(file, V2);
        BuildResult v2 = t.engine.compiler().build(file);
        ScriptCode next = t.engine.scripts().loadCode(v2.library(), false);
        SwapResult swap = t.engine.scripts().swapLibrary("counter", next);
        assertThat(swap.ok()).as(swap.error()).isTrue();
        // The swap returned without closing the old version: its close waits for the closing thread.
        assertThat(held.held).hasSize(1);
        assertThat(mapped(first)).isTrue();

        t.run(3);
        // A body edit: the State stayed where it was. The new code ran three times on it; the
        // old code, still mapped, never ran again (each of its updates would have added 1).
        assertThat(i.stateMemory().address()).isEqualTo(oldState.address());
        assertThat(i.stateMemory().get(ValueLayout.JAVA_INT, 0)).isEqualTo(3003);
    }

    /** V1's State, but an init that fails: the dry run refuses the swap. */
    static final String FAILS_INIT = """
            const kiln = @import("kiln");
            pub const State = struct { count: u32 = 0 };
            pub fn init(self: *State, ctx: *kiln.Context) !void { _ = self; _ = ctx; return error.NotReady; }
            pub fn update(self: *State, ctx: *kiln.Context) void { _ = ctx; self.count += 1; }
            """;

    @Test
    void aRefusedSwapCancelsTheRetirementItsPreparationAnnounced(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            Path file = dir.resolve("counter.zig");
            Files.writeString(file, V1);
            t.load(file);
            t.engine.scripts().attach(t.engine.world().spawn(), "counter", 0, null);
            t.step();
            Files.writeString(file, FAILS_INIT);
            ScriptCode next = t.engine.scripts().loadCode(t.engine.compiler().build(file).library(), false);
            PreparedSwap prepared = t.engine.scripts().prepareSwap("counter", next);
            RetiredLibraries retired = t.engine.scripts().retiredLibraries();
            assertThat(retired.expectedRetirements()).as("the closing thread polls for the old version").isEqualTo(1);
            SwapResult swap = t.engine.scripts().swapLibrary("counter", prepared);
            assertThat(swap.ok()).isFalse();
            assertThat(swap.error()).contains("dry-run init");
            assertThat(retired.expectedRetirements()).as("no old version comes: it stops polling").isZero();
        }
    }

    @Test
    void closingTheRuntimeWaitsForTheOldVersionsToClose(@TempDir Path dir) throws Exception {
        Path first;
        try (TestEngine t = new TestEngine()) {
            Path file = dir.resolve("counter.zig");
            Files.writeString(file, V1);
            first = Files.copy(t.engine.compiler().build(file).library(), dir.resolve("libcounter-closing.so"));
            t.engine.loadLibrary(first);
            t.engine.scripts().attach(t.engine.world().spawn(), "counter", 0, null);
            t.step();
            Files.writeString(file, V2);
            ScriptCode next = t.engine.scripts().loadCode(t.engine.compiler().build(file).library(), false);
            assertThat(t.engine.scripts().swapLibrary("counter", next).ok()).isTrue();
        }
        assertThat(mapped(first)).isFalse();
    }

    private static boolean mapped(Path library) throws Exception {
        return Files.readString(Path.of("/proc/self/maps")).contains(library.toString());
    }
}
