package dev.kiln.reload;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.build.BuildResult;
import dev.kiln.ecs.VarValue;
import dev.kiln.script.LogEntry;
import dev.kiln.script.ScriptInstance;
import dev.kiln.script.SwapResult;
import dev.kiln.state.StateValues;
import dev.kiln.testing.LibraryVersions;
import dev.kiln.testing.TestEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random kiln.List operations, run by a compiled script one per frame, interleaved with hot
 * reloads that change the element type (a field added before the value, i32 ↔ i64), against a
 * Java list: after every step the engine's elements equal the model's, and when the instance
 * detaches its memory is all freed. In the engine's process and in isolated mode (where every
 * reload moves the elements into a new host).
 */
class ContainerModelTest {
    /** The operation the script runs when `seq` changes: ScriptVars "op", "arg", "seq". */
    private static final String OPS = """
            pub fn update(self: *State, ctx: *kiln.Context) !void {
                const seq = ctx.getVar(ctx.entity, "seq", i64) catch return;
                if (seq == self.seq) return;
                self.seq = seq;
                const op = try ctx.getVar(ctx.entity, "op", i64);
                const arg = try ctx.getVar(ctx.entity, "arg", i64);
                const n = self.list.len(ctx);
                const v: @TypeOf(@as(Item, .{}).v) = @intCast(arg);
                switch (op) {
                    1 => try self.list.append(ctx, .{ .v = v }),
                    2 => _ = self.list.pop(ctx),
                    3 => if (n > 0) { _ = self.list.orderedRemove(ctx, @intCast(@mod(arg, @as(i64, @intCast(n))))); },
                    4 => if (n > 0) { _ = self.list.swapRemove(ctx, @intCast(@mod(arg, @as(i64, @intCast(n))))); },
                    5 => try self.list.insert(ctx, @intCast(@mod(arg, @as(i64, @intCast(n + 1)))), .{ .v = v }),
                    6 => self.list.clear(ctx),
                    7 => self.list.deinit(ctx),
                    8 => try self.list.appendSlice(ctx, &.{ .{ .v = v }, .{ .v = v + 1 }, .{ .v = v + 2 } }),
                    10 => try self.map.put(ctx, @intCast(@mod(arg, 50)), seq),
                    11 => _ = self.map.remove(ctx, @intCast(@mod(arg, 50))),
                    12 => self.got = self.map.get(ctx, @intCast(@mod(arg, 50))) orelse -1,
                    13 => self.map.clear(ctx),
                    else => {},
                }
            }
            """;
    static final String V1 = "const kiln = @import(\"kiln\");\n"
            + "pub const Item = struct { v: i32 = 0 };\n"
            + "pub const State = struct { seq: i64 = 0, list: kiln.List(Item) = .{}, map: kiln.Map(i32, i64) = .{}, got: i64 = -1 };\n"
            + OPS;
    static final String V2 = "const kiln = @import(\"kiln\");\n"
            + "pub const Item = struct { extra: u16 = 9, v: i64 = 0 };\n"
            + "pub const State = struct { list: kiln.List(Item) = .{}, got: i64 = -1, seq: i64 = 0, map: kiln.Map(i64, i64) = .{} };\n"
            + OPS;

    private static TestEngine engine;
    private static Path dir;
    /** Per script: [0] listops, in the engine's process; [1] isoops, isolated (its containers in its host). */
    private static final String[] SCRIPTS = {"listops", "isoops"};
    private static final byte[][][] LIBRARIES = new byte[2][2][];
    private static final int[][] HASH_AT = new int[2][2];
    private static final int[] current = new int[2];
    private static int versions;
    private static int reloads;
    private static int operations;

    record Step(int op, int arg) {}

    @Provide
    Arbitrary<List<Step>> steps() {
        // op 9: hot reload to the other version (element type changes both ways; the map's key
        // type too, so its hash index is rebuilt); 10-13: map put, remove, get, clear
        return Combinators.combine(Arbitraries.integers().between(1, 13), Arbitraries.integers().between(-1000, 1000))
                .as(Step::new).list().ofMinSize(10).ofMaxSize(60);
    }

    @BeforeContainer
    static void build() throws Exception {
        dir = Files.createTempDirectory("kiln-container-model");
        engine = new TestEngine();
        String[] sources = {V1, V2};
        for (int m = 0; m < 2; m++) {
            for (int k = 0; k < 2; k++) {
                Path file = dir.resolve(SCRIPTS[m] + ".zig");
                Files.writeString(file, sources[k]);
                BuildResult r = engine.engine.compiler().build(file);
                assertThat(r.ok()).as(r.compilerOutput()).isTrue();
                LIBRARIES[m][k] = Files.readAllBytes(r.library());
                HASH_AT[m][k] = LibraryVersions.hashOffset(LIBRARIES[m][k], r.sourceHash());
            }
            engine.engine.scripts().load(version(m, 0), null, m == 1);
        }
    }

    @AfterContainer
    static void close() {
        System.out.println("ContainerModelTest: " + reloads + " reloads, " + operations + " operations");
        engine.close();
    }

    @Property(tries = 40)
    void theEnginesElementsFollowTheModelAcrossReloads(@ForAll("steps") List<Step> steps) throws Exception {
        run(0, steps);
        assertThat(engine.engine.scripts().heap().liveBlocks()).isZero();
        assertThat(engine.engine.scripts().heap().totalBytes()).isZero();
    }

    /** The same in isolated mode: the elements live in the host, and each reload moves them to a new one. */
    @Property(tries = 15)
    void anIsolatedHostsElementsFollowTheModelAcrossReloads(@ForAll("steps") List<Step> steps) throws Exception {
        run(1, steps);
    }

    private static void run(int mode, List<Step> steps) throws Exception {
        long entity = engine.engine.world().spawn();
        ScriptInstance i = engine.engine.scripts().attach(entity, SCRIPTS[mode], 0, null);
        engine.step();
        List<Long> model = new ArrayList<>();
        List<long[]> mapModel = new ArrayList<>(); // {key, value} in the map's documented order
        long[] got = {-1};
        long seq = 0;
        for (Step s : steps) {
            if (s.op() == 9) {
                int next = 1 - current[mode];
                SwapResult r = engine.engine.scripts().swapLibrary(SCRIPTS[mode],
                        engine.engine.scripts().loadCode(version(mode, next), mode == 1));
                assertThat(r.ok()).as(r.error()).isTrue();
                current[mode] = next;
                reloads++;
            } else {
                applyToModel(model, s);
                applyToMapModel(mapModel, got, s, seq + 1);
                operations++;
                engine.engine.world().setVar(entity, "op", new VarValue.I64(s.op()));
                engine.engine.world().setVar(entity, "arg", new VarValue.I64(s.arg()));
                engine.engine.world().setVar(entity, "seq", new VarValue.I64(++seq));
                engine.step();
            }
            assertThat(values(mode, i)).as("after %s", s).isEqualTo(model);
            assertThat(mapEntries(i)).as("map after %s", s).isEqualTo(mapModel.stream().map(e -> e[0] + "=" + e[1]).toList());
            assertThat(state(i).get("got")).as("get after %s", s).isEqualTo(got[0]);
        }
        engine.engine.scripts().detach(i);
        engine.engine.scripts().despawn(entity);
        engine.step();
        assertThat(engine.engine.scripts().memoryOf(i).blocks()).isZero();
        assertThat(engine.messages(LogEntry.Level.ERROR)).isEmpty();
    }

    private static void applyToModel(List<Long> model, Step s) {
        int n = model.size();
        long v = s.arg();
        switch (s.op()) {
            case 1 -> model.add(v);
            case 2 -> {
                if (n > 0) model.removeLast();
            }
            case 3 -> {
                if (n > 0) model.remove(Math.floorMod(v, n));
            }
            case 4 -> {
                if (n > 0) {
                    int at = Math.floorMod(v, n);
                    model.set(at, model.getLast());
                    model.removeLast();
                }
            }
            case 5 -> model.add(Math.floorMod(v, n + 1), v);
            case 6, 7 -> model.clear();
            case 8 -> model.addAll(List.of(v, v + 1, v + 2));
            default -> { }
        }
    }

    /** kiln.Map's order: insertion order, a removed entry's place taken by the last one. */
    private static void applyToMapModel(List<long[]> map, long[] got, Step s, long seq) {
        long key = Math.floorMod(s.arg(), 50);
        int at = -1;
        for (int k = 0; k < map.size(); k++) if (map.get(k)[0] == key) at = k;
        switch (s.op()) {
            case 10 -> {
                if (at >= 0) map.get(at)[1] = seq;
                else map.add(new long[] {key, seq});
            }
            case 11 -> {
                if (at >= 0) {
                    map.set(at, map.getLast());
                    map.removeLast();
                }
            }
            case 12 -> got[0] = at >= 0 ? map.get(at)[1] : -1;
            case 13 -> map.clear();
            default -> { }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> state(ScriptInstance i) {
        return (Map<String, Object>) StateValues.read(i.library().info().stateType(), i.state().toArray(JAVA_BYTE), 0,
                engine.engine.scripts().containerReader(i));
    }

    @SuppressWarnings("unchecked")
    private static List<String> mapEntries(ScriptInstance i) {
        List<Map<String, Object>> entries = (List<Map<String, Object>>) ((Map<String, Object>) state(i).get("map")).get("entries");
        return entries.stream().map(e -> e.get("key") + "=" + e.get("value")).toList();
    }

    /** The `v` of every element, checking `extra` holds its declared default in version 2. */
    @SuppressWarnings("unchecked")
    private static List<Long> values(int mode, ScriptInstance i) {
        byte[] bytes = i.state().toArray(JAVA_BYTE);
        Map<String, Object> state = (Map<String, Object>) StateValues.read(i.library().info().stateType(), bytes, 0,
                engine.engine.scripts().containerReader(i));
        List<Long> out = new ArrayList<>();
        for (Object e : (List<Object>) state.get("list")) {
            Map<String, Object> item = (Map<String, Object>) e;
            if (current[mode] == 1) assertThat(item.get("extra")).isEqualTo(9L);
            out.add((Long) item.get("v"));
        }
        return out;
    }

    /** A distinct copy of script {@code mode}'s version {@code k} (the loader never maps one path twice). */
    private static Path version(int mode, int k) throws Exception {
        byte[] copy = LIBRARIES[mode][k].clone();
        byte[] tag = String.format("%08x", ++versions).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(tag, 0, copy, HASH_AT[mode][k], tag.length);
        Path temp = dir.resolve("writing.so");
        Files.write(temp, copy);
        return Files.move(temp, dir.resolve("lib" + SCRIPTS[mode] + "-" + versions + ".so"), StandardCopyOption.ATOMIC_MOVE);
    }
}
