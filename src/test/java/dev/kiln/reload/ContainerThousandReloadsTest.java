package dev.kiln.reload;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.build.BuildResult;
import dev.kiln.loader.NativeHeap;
import dev.kiln.script.ScriptInstance;
import dev.kiln.script.SwapResult;
import dev.kiln.state.StateValues;
import dev.kiln.testing.LibraryVersions;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thousand hot reloads of a script holding 10,000-element containers, alternating between two
 * element types so every reload migrates every element: engine memory and the process's malloc
 * total stay flat, every element keeps its value, and detaching frees all of it.
 */
class ContainerThousandReloadsTest {
    private static final int RELOADS = 1000;
    private static final int ELEMENTS = 10_000;
    /** Reloads before the baseline: by then the JIT has compiled the swap and migration paths. */
    private static final int WARM_UP = 200;
    /** As ThousandVersionsTest: the JIT's arenas come and go by a few MiB; a leaked 10k-element block per reload would add 100s of MiB. */
    private static final long ALLOWED_GROWTH_BYTES = 10L << 20;

    private static final String BODY = """
            pub fn init(self: *State, ctx: *kiln.Context) !void {
                var k: u32 = 0;
                while (k < %d) : (k += 1) try self.items.append(ctx, .{ .id = k, .weight = @floatFromInt(k) });
                k = 0;
                while (k < %d) : (k += 1) try self.bytes.append(ctx, @truncate(k));
            }
            pub fn update(self: *State, ctx: *kiln.Context) void { _ = ctx; self.frames += 1; }
            """.formatted(ELEMENTS, ELEMENTS);
    static final String V1 = "const kiln = @import(\"kiln\");\n"
            + "pub const Item = struct { id: u32 = 0, weight: f32 = 0 };\n"
            + "pub const State = struct { items: kiln.List(Item) = .{}, bytes: kiln.String = .{}, frames: u64 = 0 };\n" + BODY;
    /** Item gains a field and its weight widens: every element is rewritten on each swap. */
    static final String V2 = "const kiln = @import(\"kiln\");\n"
            + "pub const Item = struct { tag: u8 = 5, weight: f64 = 0, id: u32 = 0 };\n"
            + "pub const State = struct { frames: u64 = 0, bytes: kiln.String = .{}, items: kiln.List(Item) = .{} };\n" + BODY;

    @Test
    void aThousandReloadsOfTenThousandElementsLeaveMemoryFlatAndDetachFreesIt(@TempDir Path dir) throws Throwable {
        try (TestEngine t = new TestEngine()) {
            byte[][] libraries = new byte[2][];
            int[] hashAt = new int[2];
            String[] sources = {V1, V2};
            for (int k = 0; k < 2; k++) {
                Path file = dir.resolve("keeper.zig");
                Files.writeString(file, sources[k]);
                BuildResult r = t.engine.compiler().build(file);
                assertThat(r.ok()).as(r.compilerOutput()).isTrue();
                libraries[k] = Files.readAllBytes(r.library());
                hashAt[k] = LibraryVersions.hashOffset(libraries[k], r.sourceHash());
            }
            t.engine.scripts().load(LibraryVersions.version(libraries[0], hashAt[0], dir, "keeper", 0), null, false);
            ScriptInstance i = t.engine.scripts().attach(t.engine.world().spawn(), "keeper", 0, null);
            t.step();
            NativeHeap heap = t.engine.scripts().heap();
            long engineBytes = heap.totalBytes();
            long warm = 0;
            for (int v = 1; v <= RELOADS; v++) {
                Path next = LibraryVersions.version(libraries[v % 2], hashAt[v % 2], dir, "keeper", v);
                SwapResult r = t.engine.scripts().swapLibrary("keeper", t.engine.scripts().loadCode(next, false));
                assertThat(r.ok()).as(r.error()).isTrue();
                t.step();
                Files.delete(next);
                assertThat(heap.liveBlocks()).isEqualTo(2);
                if (v == WARM_UP) {
                    t.engine.scripts().awaitClosedLibraries(); // replaced versions close off the frame thread
                    warm = LibraryVersions.mallocatedBytesAfterGc();
                    engineBytes = heap.totalBytes();
                }
            }
            assertThat(heap.totalBytes()).as("engine bytes after the last reload").isEqualTo(engineBytes);
            t.engine.scripts().awaitClosedLibraries();
            assertThat(LibraryVersions.mallocatedBytesAfterGc() - warm).as("malloc growth since reload %d", WARM_UP).isLessThan(ALLOWED_GROWTH_BYTES);
            assertElementsKept(t, i);
            t.engine.scripts().detach(i);
            t.step();
            assertThat(heap.liveBlocks()).isZero();
            assertThat(heap.totalBytes()).isZero();
        }
    }

    @SuppressWarnings("unchecked")
    private static void assertElementsKept(TestEngine t, ScriptInstance i) {
        Map<String, Object> state = (Map<String, Object>) StateValues.read(i.library().info().stateType(),
                i.state().toArray(JAVA_BYTE), 0, t.engine.scripts().containerReader());
        List<Map<String, Object>> items = (List<Map<String, Object>>) state.get("items");
        assertThat(items).hasSize(ELEMENTS);
        for (int k = 0; k < ELEMENTS; k += 997) {
            assertThat(items.get(k).get("id")).isEqualTo((long) k);
            assertThat(items.get(k).get("weight")).isEqualTo((double) k);
        }
        assertThat((List<Object>) state.get("bytes")).hasSize(ELEMENTS);
        assertThat(state.get("frames")).isEqualTo((long) RELOADS + 1);
    }

}
