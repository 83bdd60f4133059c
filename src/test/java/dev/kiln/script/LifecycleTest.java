package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.Entities;
import dev.kiln.testing.TestEngine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** init on attach, shutdown on detach and despawn, the enabled flag. */
class LifecycleTest {
    @Test
    void attachRunsInitBeforeTheFirstUpdate() {
        try (TestEngine t = new TestEngine()) {
            t.loadTest("order_a.zig");
            long e = t.engine.world().spawn();
            ScriptInstance i = t.engine.scripts().attach(e, "order_a", 0, Phase.UPDATE);
            assertThat(i.lifecycle()).isEqualTo(ScriptInstance.Lifecycle.PENDING_INIT);
            t.step();
            assertThat(t.logs).extracting(LogEntry::message).containsExactly("init", "update");
            assertThat(i.lifecycle()).isEqualTo(ScriptInstance.Lifecycle.ACTIVE);
        }
    }

    @Test
    void closingTheEngineRunsEveryInstancesShutdownInExecutionOrder() {
        List<LogEntry> logs;
        try (TestEngine t = new TestEngine()) {
            t.loadTest("order_a.zig");
            t.loadTest("order_b.zig");
            t.engine.scripts().attach(t.engine.world().spawn(), "order_b", 1, Phase.UPDATE);
            t.engine.scripts().attach(t.engine.world().spawn(), "order_a", 0, Phase.UPDATE);
            t.run(2);
            logs = t.logs;
        }
        assertThat(logs).extracting(e -> e.script() + ": " + e.message()).containsSubsequence(
                "order_a: shutdown after 2 updates", "order_b: shutdown after 2 updates");
    }

    @Test
    void detachRunsShutdownAndStopsUpdates() {
        try (TestEngine t = new TestEngine()) {
            t.loadTest("order_a.zig");
            long e = t.engine.world().spawn();
            ScriptInstance i = t.engine.scripts().attach(e, "order_a", 0, Phase.UPDATE);
            t.run(3);
            t.engine.scripts().detach(i);
            t.run(2);
            assertThat(t.logs).extracting(LogEntry::message)
                    .containsExactly("init", "update", "update", "update", "shutdown after 3 updates");
            assertThat(t.engine.scripts().scriptsOn(e)).isEmpty();
        }
    }

    @Test
    void despawnShutsDownEveryScriptOfTheEntity() {
        try (TestEngine t = new TestEngine()) {
            t.loadTest("order_a.zig");
            t.loadTest("order_b.zig");
            long e = t.engine.world().spawn();
            t.engine.scripts().attach(e, "order_a", 0, Phase.UPDATE);
            t.engine.scripts().attach(e, "order_b", 1, Phase.UPDATE);
            t.step();
            t.engine.scripts().despawn(e);
            t.step();
            assertThat(t.logs).extracting(l -> l.script() + " " + l.message()).endsWith(
                    "order_a shutdown after 1 updates", "order_b shutdown after 1 updates");
            assertThat(t.engine.scripts().instances()).isEmpty();
        }
    }

    @Test
    void aDisabledScriptIsSkippedUntilEnabledAgain() {
        try (TestEngine t = new TestEngine()) {
            t.loadTest("order_a.zig");
            long e = t.engine.world().spawn();
            ScriptInstance i = t.engine.scripts().attach(e, "order_a", 0, Phase.UPDATE);
            t.step();
            t.engine.scripts().setEnabled(i, false);
            t.run(3);
            t.engine.scripts().setEnabled(i, true);
            t.step();
            assertThat(t.logs).extracting(LogEntry::message).containsExactly("init", "update", "update");
        }
    }

    @Test
    void scriptsOfAnEntityRemovedBehindTheRuntimesBackDoNotPassForItsIndexsNextEntity() {
        try (TestEngine t = new TestEngine()) {
            t.load(TestEngine.example("mover.zig"));
            var w = t.engine.world();
            long first = w.spawn();
            t.engine.scripts().attach(first, "mover", 0, null);
            w.despawn(first); // the World directly, not ScriptRuntime.despawn: the script stays
            long second = w.spawn();
            assertThat(Entities.index(second)).isEqualTo(Entities.index(first));
            assertThat(t.engine.scripts().scriptsOn(second)).isEmpty();
            ScriptInstance own = t.engine.scripts().attach(second, "mover", 0, null);
            assertThat(t.engine.scripts().scriptsOn(second)).containsExactly(own);
        }
    }
}
