package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.Vec3;
import dev.kiln.ecs.World;
import dev.kiln.testing.TestEngine;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An isolated library's snapshot copy holds the rows up to the last live entity's, not the
 * world's whole capacity: a script still sees every live entity (the last one included) with
 * its position, and a despawned one as not alive, below that bound or past it, exactly as a
 * library in the engine's process does.
 */
class IsolatedSnapshotRowsTest {
    /** Reports whether entity `target` (a var of its own) is alive, and where it is. */
    static final String WATCHER = """
            const kiln = @import("kiln");
            pub const State = struct {};
            pub fn update(_: *State, ctx: *kiln.Context) !void {
                const bits = ctx.getVar(ctx.entity, "target", i64) catch return;
                const target: kiln.Entity = @enumFromInt(@as(u64, @bitCast(bits)));
                const alive = ctx.isAlive(target);
                try ctx.setVar(ctx.entity, "alive", alive);
                if (alive) try ctx.setVar(ctx.entity, "seen", try ctx.getPosition(target));
            }
            """;

    @ParameterizedTest(name = "isolated = {0}")
    @ValueSource(booleans = {false, true})
    void liveEntitiesUpToTheLastOneAreSeenAndDespawnedOnesAreNot(boolean isolated, @TempDir Path dir) {
        try (TestEngine t = new TestEngine()) {
            World world = t.engine.world();
            t.load(dir, "watcher", WATCHER, isolated);
            long watcher = world.spawn();
            long[] others = new long[100];
            for (int k = 0; k < others.length; k++) {
                others[k] = world.spawn();
                world.setPosition(others[k], k, 2 * k, -k);
            }
            t.engine.scripts().attach(watcher, "watcher", 0, null);
            for (int k = 10; k < others.length; k++) if (k != 60) world.despawn(others[k]);

            assertThat(watch(t, world, watcher, others[60])).isEqualTo(new Vec3(60, 120, -60)); // the last live row
            assertThat(watch(t, world, watcher, others[5])).isEqualTo(new Vec3(5, 10, -5));
            assertThat(watch(t, world, watcher, others[80])).isNull(); // despawned, past the last live row
            assertThat(watch(t, world, watcher, others[30])).isNull(); // despawned, below it
            world.despawn(others[60]);
            assertThat(watch(t, world, watcher, others[60])).isNull();
            assertThat(watch(t, world, watcher, others[9])).isEqualTo(new Vec3(9, 18, -9));
            long late = world.spawn(); // takes a freed row again
            world.setPosition(late, 7, 7, 7);
            assertThat(watch(t, world, watcher, late)).isEqualTo(new Vec3(7, 7, 7));
        }
    }

    /** The position the watcher saw of {@code target} after a frame, or null when it saw it dead. */
    private static Vec3 watch(TestEngine t, World world, long watcher, long target) {
        world.setVar(watcher, "target", new VarValue.I64(target));
        t.step(); // the watcher reads the snapshot published before this frame
        t.step();
        boolean alive = ((VarValue.Bool) world.getVar(watcher, "alive")).value();
        return alive ? ((VarValue.V3) world.getVar(watcher, "seen")).value() : null;
    }
}
