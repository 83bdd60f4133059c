package dev.kiln.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inspector's entity JSON shows each script instance's containers: field, sizes, budget. */
class ContainerMemoryViewTest {
    static final String SCRIPT = """
            const kiln = @import("kiln");
            pub const State = struct { trail: kiln.List(kiln.Vec3) = .{}, label: kiln.String = .{}, empty: kiln.List(u32) = .{} };
            pub fn update(self: *State, ctx: *kiln.Context) !void {
                if (self.trail.len(ctx) < 5) try self.trail.append(ctx, kiln.vec3(1, 2, 3));
                try self.label.set(ctx, "hello");
            }
            """;

    @Test
    void theEntityJsonListsEachContainerWithItsFieldAndSizes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("trailer.zig");
        Files.writeString(file, SCRIPT);
        try (TestEngine t = new TestEngine()) {
            t.load(file);
            t.engine.scripts().setMemoryBudget("trailer", 4096L);
            long e = t.engine.world().spawn();
            t.engine.scripts().attach(e, "trailer", 0, null);
            t.run(10);
            JsonNode memory = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(EntityDetails.of(t.engine, e)))
                    .get("scripts").get(0).get("memory");
            assertThat(memory.get("budgetBytes").asLong()).isEqualTo(4096);
            assertThat(memory.get("usedBytes").asLong()).isEqualTo(8 * 12 + 8); // 8 Vec3s and 8 bytes allocated
            assertThat(memory.get("containers")).hasSize(2);
            JsonNode trail = memory.get("containers").get(0);
            assertThat(trail.get("field").asText()).isEqualTo("trail");
            assertThat(trail.get("len").asInt()).isEqualTo(5);
            assertThat(trail.get("elemSize").asInt()).isEqualTo(12);
            JsonNode label = memory.get("containers").get(1);
            assertThat(label.get("field").asText()).isEqualTo("label");
            assertThat(label.get("len").asInt()).isEqualTo(5);
        }
    }
}
