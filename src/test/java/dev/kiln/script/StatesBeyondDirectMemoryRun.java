package dev.kiln.script;

import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@link StatesBeyondDirectMemoryTest}, run in a JVM of its own whose direct-memory
 * limit is far below the States it keeps: {@link #INSTANCES} instances of a script whose State
 * is {@link #STATE_BYTES} bytes, then {@link #LAYOUT_SWAPS} layout edits, each migrating every
 * State into a new slab. Prints {@link #TAG} lines the test reads; exits non-zero on an error
 * (an OutOfMemoryError for direct buffer memory, were States counted against the limit).
 */
final class StatesBeyondDirectMemoryRun {
    static final String TAG = "states";
    /** Bytes per State: a count and padding (a page, so the States are MiB, not KiB). */
    static final int STATE_BYTES = 4096;
    /** Instances: {@code INSTANCES * STATE_BYTES} = 32 MiB of States per version. */
    static final int INSTANCES = 8192;
    /** Layout edits swapped in, alternating two layouts: each moves every State into a new slab. */
    static final int LAYOUT_SWAPS = 4;

    /** Layout A: the count first. {@code %d}: what update adds. */
    static final String COUNT_FIRST = """
            const kiln = @import("kiln");
            pub const State = struct { count: u32 = 0, pad: [4092]u8 = @splat(0) };
            pub fn update(self: *State, ctx: *kiln.Context) void { _ = ctx; self.count += %d; }
            """;
    /** Layout B: the padding first (the count moves: a layout edit). */
    static final String PAD_FIRST = """
            const kiln = @import("kiln");
            pub const State = struct { pad: [4092]u8 = @splat(0), count: u32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) void { _ = ctx; self.count += %d; }
            """;

    private StatesBeyondDirectMemoryRun() {}

    /** args[0]: an empty directory for the script. */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]).resolve("big.zig");
        try (TestEngine t = new TestEngine()) {
            ScriptRuntime scripts = t.engine.scripts();
            Files.writeString(file, COUNT_FIRST.formatted(1));
            t.load(file);
            List<ScriptInstance> all = new ArrayList<>(INSTANCES);
            for (int k = 0; k < INSTANCES; k++) all.add(scripts.attach(t.engine.world().spawn(), "big", 0, null));
            t.step(); // count 1
            for (int s = 1; s <= LAYOUT_SWAPS; s++) {
                Files.writeString(file, (s % 2 == 1 ? PAD_FIRST : COUNT_FIRST).formatted(1));
                SwapResult swap = scripts.swapLibrary("big", scripts.loadCode(t.engine.compiler().build(file).library(), false));
                if (!swap.ok()) throw new IllegalStateException("layout edit " + s + " refused: " + swap.error());
                t.step();
                scripts.awaitClosedLibraries(); // the version before closed: its slab with it
            }
            long sum = 0;
            for (ScriptInstance i : all) sum += ((Number) StateFields.read(i, "count")).longValue();
            System.out.println(TAG + " size " + scripts.library("big").info().stateSize());
            System.out.println(TAG + " live " + scripts.library("big").states().liveSlots());
            System.out.println(TAG + " sum " + sum);
        }
    }
}
