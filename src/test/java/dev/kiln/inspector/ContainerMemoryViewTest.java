package dev.kiln.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.ecs.Entities;
import dev.kiln.script.LogEntry;
import dev.kiln.script.ScriptInstance;
import dev.kiln.testing.TestEngine;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The inspector's entity JSON shows each script instance's containers: path, kind, sizes, the
 * first elements rendered by the element type, and the instance's memory and budget. The same
 * for a script in isolated mode (its containers live in its host process), and so is the
 * engine's warning when an instance goes over its budget.
 */
class ContainerMemoryViewTest {
    static final String SCRIPT = """
            const kiln = @import("kiln");
            const Mood = enum(u8) { calm, angry };
            const Sighting = struct { who: kiln.Entity, mood: Mood = .calm, range: f32 = 0 };
            const Nested = struct { names: kiln.String = .{} };
            pub const State = struct {
                trail: kiln.List(kiln.Vec3) = .{},
                label: kiln.String = .{},
                empty: kiln.List(u32) = .{},
                seen: kiln.List(Sighting) = .{},
                scores: kiln.Map(u32, i32) = .{},
                inner: Nested = .{},
                count: kiln.List(u32) = .{},
            };
            pub fn update(self: *State, ctx: *kiln.Context) !void {
                if (self.trail.len(ctx) < 5) try self.trail.append(ctx, kiln.vec3(1, 2, 3));
                try self.label.set(ctx, "hello");
                if (self.seen.len(ctx) == 0) {
                    try self.seen.append(ctx, .{ .who = ctx.entity, .mood = .angry, .range = 2.5 });
                    try self.scores.put(ctx, 7, -3);
                    try self.scores.put(ctx, 9, 40);
                    try self.inner.names.set(ctx, "deep");
                    var k: u32 = 0;
                    while (k < 30) : (k += 1) try self.count.append(ctx, k * 10);
                }
            }
            """;

    @ParameterizedTest(name = "isolated = {0}")
    @ValueSource(booleans = {false, true})
    void theEntityJsonListsEachContainerWithItsPathSizesAndFirstElements(boolean isolated, @TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            t.load(dir, "trailer", SCRIPT, isolated);
            t.engine.scripts().setMemoryBudget("trailer", 8192L);
            long e = t.engine.world().spawn();
            t.engine.scripts().attach(e, "trailer", 0, null);
            t.run(10);
            JsonNode memory = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(EntityDetails.of(t.engine, e)))
                    .get("scripts").get(0).get("memory");
            assertThat(memory.get("budgetBytes").asLong()).isEqualTo(8192);
            JsonNode c = memory.get("containers");
            assertThat(c).hasSize(7);
            // every byte the instance holds is some field's: 8 Vec3s, 8 bytes of label, 8 Sightings
            // (16 bytes each), the map (entries and index), "deep" (8 bytes), 30 → 32 u32s
            long sum = 0;
            for (JsonNode each : c) sum += each.get("bytes").asLong();
            assertThat(memory.get("usedBytes").asLong()).isEqualTo(sum);
            assertThat(sum - c.get(4).get("bytes").asLong()).isEqualTo(8 * 12 + 8 + 8 * 16 + 8 + 32 * 4);

            JsonNode trail = c.get(0);
            assertThat(trail.get("field").asText()).isEqualTo("trail");
            assertThat(trail.get("kind").asText()).isEqualTo("list");
            assertThat(trail.get("type").asText()).isEqualTo("kiln.List(struct Vec3)");
            assertThat(trail.get("len").asInt()).isEqualTo(5);
            assertThat(trail.get("capacity").asInt()).isEqualTo(8);
            assertThat(trail.get("bytes").asLong()).isEqualTo(8 * 12);
            assertThat(trail.get("elements")).hasSize(5);
            assertThat(trail.get("elements").get(4).toString()).isEqualTo("{\"x\":1.0,\"y\":2.0,\"z\":3.0}");

            JsonNode label = c.get(1);
            assertThat(label.get("kind").asText()).isEqualTo("string");
            assertThat(label.get("elements").asText()).isEqualTo("hello");
            assertThat(label.get("more").asInt()).isZero();

            JsonNode empty = c.get(2);
            assertThat(empty.get("field").asText()).isEqualTo("empty");
            assertThat(empty.get("len").asInt()).isZero();
            assertThat(empty.get("elements")).isEmpty();

            JsonNode seen = c.get(3).get("elements").get(0); // struct by field: entity, enum tag, float
            assertThat(seen.get("who").asText()).isEqualTo(Entities.format(e));
            assertThat(seen.get("mood").asText()).isEqualTo("angry");
            assertThat(seen.get("range").asDouble()).isEqualTo(2.5);

            JsonNode scores = c.get(4);
            assertThat(scores.get("field").asText()).isEqualTo("scores");
            assertThat(scores.get("kind").asText()).isEqualTo("map");
            assertThat(scores.get("type").asText()).isEqualTo("kiln.Map(u32, i32)");
            assertThat(scores.get("len").asInt()).isEqualTo(2);
            assertThat(scores.get("elements").toString()).isEqualTo("[{\"key\":7,\"value\":-3},{\"key\":9,\"value\":40}]");

            assertThat(c.get(5).get("field").asText()).isEqualTo("inner.names");
            assertThat(c.get(5).get("elements").asText()).isEqualTo("deep");

            JsonNode count = c.get(6); // bounded: the first ELEMENTS_SHOWN, the rest counted
            assertThat(count.get("len").asInt()).isEqualTo(30);
            assertThat(count.get("elements")).hasSize(ContainerViews.ELEMENTS_SHOWN);
            assertThat(count.get("elements").get(19).asInt()).isEqualTo(190);
            assertThat(count.get("more").asInt()).isEqualTo(30 - ContainerViews.ELEMENTS_SHOWN);
        }
    }

    static final String HOARDER = """
            const kiln = @import("kiln");
            pub const State = struct { items: kiln.List(u64) = .{} };
            pub fn update(self: *State, ctx: *kiln.Context) !void {
                self.items.append(ctx, 1) catch return;
            }
            """;

    @ParameterizedTest(name = "isolated = {0}")
    @ValueSource(booleans = {false, true})
    void goingOverTheBudgetIsWarnedWithScriptAndEntity(boolean isolated, @TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            t.load(dir, "hoarder", HOARDER, isolated);
            t.engine.scripts().setMemoryBudget("hoarder", 1024L);
            ScriptInstance i = t.engine.scripts().attach(t.engine.world().spawn(), "hoarder", 0, null);
            t.run(200); // 128 u64s fit in 1 KiB: the 129th append is refused
            assertThat(t.engine.scripts().memoryOf(i).usedBytes()).isEqualTo(1024);
            LogEntry warning = t.logs.stream().filter(l -> l.level() == LogEntry.Level.WARN
                    && l.message().contains("refused: over its memory budget of 1024 bytes")).findFirst().orElseThrow();
            assertThat(warning.script()).isEqualTo("hoarder");
            assertThat(warning.entity()).isEqualTo(i.entity());
            assertThat(warning.message()).contains("1024 in use, 1032 asked for");
            // once per barrier that saw refusals: every frame past the 128th
            long warnings = t.logs.stream().filter(l -> l.message().contains("over its memory budget of 1024")).count();
            assertThat(warnings).isBetween(60L, 72L);
        }
    }

    /**
     * Among libraries that refuse nothing, the one that refuses is warned about, once per barrier:
     * an in-process library, an isolated one within its budget, and the refusing isolated one,
     * loaded after frames already ran (the barrier's list of isolated libraries is worked out again
     * when the loaded libraries change, not once).
     */
    @Test
    void onlyTheRefusingLibraryIsWarnedAndOncePerBarrier(@TempDir Path dir) throws Exception {
        try (TestEngine t = new TestEngine()) {
            t.load(dir, "trailer", SCRIPT, false);
            t.engine.scripts().attach(t.engine.world().spawn(), "trailer", 0, null);
            t.load(dir, "roomy", HOARDER, true);
            t.engine.scripts().attach(t.engine.world().spawn(), "roomy", 0, null);
            t.run(5);
            t.load(dir, "hoarder", HOARDER, true);
            t.engine.scripts().setMemoryBudget("hoarder", 1024L);
            ScriptInstance i = t.engine.scripts().attach(t.engine.world().spawn(), "hoarder", 0, null);
            t.run(200); // the 129th append is refused, and each one after it

            List<LogEntry> warnings = t.logs.stream()
                    .filter(l -> l.level() == LogEntry.Level.WARN && l.message().contains("over its memory budget")).toList();
            assertThat(warnings).isNotEmpty().allSatisfy(w -> {
                assertThat(w.script()).isEqualTo("hoarder");
                assertThat(w.entity()).isEqualTo(i.entity());
                assertThat(w.message()).startsWith("1 container growth refused: over its memory budget of 1024 bytes");
            });
            assertThat(warnings).hasSizeBetween(60, 72);
            assertThat(warnings.stream().map(LogEntry::frame).distinct().count()).isEqualTo(warnings.size());
        }
    }
}
