package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.Vec3;
import dev.kiln.ecs.World;
import dev.kiln.testing.TestEngine;
import org.junit.jupiter.api.Test;

/**
 * The SDK's batch loop keeps the command buffer's cursor in a register, and every append reads
 * it instead of the buffer's used_bytes (zig/sdk: Context.cursor). A script that posts through a
 * copy of its Context, and a failed call whose log line the SDK appends out of line, must still
 * leave every request after the one before it: none written over another.
 */
class ContextCursorTest {
    @Test
    void requestsThroughACopyOfTheContextAndAfterAFailedCallAllApply() {
        try (TestEngine t = new TestEngine()) {
            t.loadTest("context_copy.zig");
            World w = t.engine.world();
            long first = w.spawn();
            long second = w.spawn(); // a second instance: its records follow the first's
            t.engine.scripts().attach(first, "context_copy", 0, null);
            t.engine.scripts().attach(second, "context_copy", 0, null);
            t.step();
            t.step();
            for (long e : new long[] {first, second}) {
                Vec3 p = w.position(e);
                assertThat(new float[] {p.x(), p.y(), p.z()}).containsExactly(2f, 20f, 200f);
            }
            assertThat(t.logsOf("context_copy")).filteredOn(l -> l.message().startsWith("translate failed"))
                    .hasSize(4);
        }
    }
}
