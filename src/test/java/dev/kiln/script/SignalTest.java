package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.Entities;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.World;
import dev.kiln.testing.TestEngine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** emit/connect/disconnect, targeted and broadcast delivery, dispatch at the barrier. */
class SignalTest {
    /** IsolatedSignalTest runs every test here with the scripts in isolated mode. */
    boolean isolated() {
        return false;
    }

    private void load(TestEngine t, String file) {
        if (isolated()) t.loadIsolated(TestEngine.testScript(file));
        else t.loadTest(file);
    }

    private static List<String> messages(TestEngine t) {
        return t.logs.stream().map(l -> l.script() + "@" + Entities.index(l.entity()) + " " + l.message()).toList();
    }

    @Test
    void targetedSignalReachesOnlyTheTargetsScriptsAndRepliesComeInTheSameBarrier() {
        try (TestEngine t = new TestEngine()) {
            load(t, "signal_sender.zig");
            load(t, "signal_receiver.zig");
            World w = t.engine.world();
            long sender = w.spawn(), target = w.spawn(), bystander = w.spawn();
            t.engine.scripts().attach(sender, "signal_sender", 0, null);
            t.engine.scripts().attach(target, "signal_receiver", 0, null);
            t.engine.scripts().attach(bystander, "signal_receiver", 0, null);
            w.setVar(sender, "target", new VarValue.I64(target));
            t.step();
            // The handler ran after the sender's update was applied; the pong came back in a
            // second dispatch round of the same barrier.
            assertThat(messages(t)).containsExactly(
                    "signal_sender@0 sent ping",
                    "signal_receiver@1 got ping frame=0 from 0",
                    "signal_sender@0 got pong #1 from 1");
            assertThat(w.getVar(target, "pings")).isEqualTo(new VarValue.I64(1));
            assertThat(w.getVar(bystander, "pings")).isNull();
        }
    }

    @Test
    void broadcastReachesEveryConnectedScriptInExecutionOrder() {
        try (TestEngine t = new TestEngine()) {
            load(t, "signal_sender.zig");
            load(t, "signal_receiver.zig");
            World w = t.engine.world();
            long sender = w.spawn(), r1 = w.spawn(), r2 = w.spawn();
            t.engine.scripts().attach(sender, "signal_sender", 0, null);
            t.engine.scripts().attach(r1, "signal_receiver", 5, null);
            ScriptInstance second = t.engine.scripts().attach(r2, "signal_receiver", 1, null);
            w.setVar(sender, "broadcast", new VarValue.Bool(true));
            t.step();
            assertThat(messages(t)).containsSubsequence(
                    "signal_receiver@2 got ping frame=0 from 0", "signal_receiver@1 got ping frame=0 from 0");
            assertThat(w.getVar(r1, "pings")).isEqualTo(new VarValue.I64(1));
            assertThat(w.getVar(r2, "pings")).isEqualTo(new VarValue.I64(1));
            // A priority change reorders broadcast delivery from the next dispatch on.
            t.engine.scripts().setPriority(second, 10);
            t.logs.clear();
            t.step();
            assertThat(messages(t)).containsSubsequence(
                    "signal_receiver@1 got ping frame=1 from 0", "signal_receiver@2 got ping frame=1 from 0");
        }
    }

    @Test
    void disconnectStopsDelivery() {
        try (TestEngine t = new TestEngine()) {
            load(t, "signal_sender.zig");
            load(t, "signal_receiver.zig");
            World w = t.engine.world();
            long sender = w.spawn(), target = w.spawn();
            t.engine.scripts().attach(sender, "signal_sender", 0, null);
            t.engine.scripts().attach(target, "signal_receiver", 0, null);
            w.setVar(sender, "target", new VarValue.I64(target));
            t.run(2);
            w.setVar(target, "unsubscribe", new VarValue.Bool(true));
            t.run(3);
            // The disconnect request applies at the update barrier, before that barrier's dispatch.
            assertThat(w.getVar(target, "pings")).isEqualTo(new VarValue.I64(2));
        }
    }

    @Test
    void scriptsOnOneEntityMessageEachOtherThroughTargetedSignals() {
        try (TestEngine t = new TestEngine()) {
            load(t, "signal_sender.zig");
            load(t, "signal_receiver.zig");
            World w = t.engine.world();
            long e = w.spawn();
            t.engine.scripts().attach(e, "signal_sender", 0, null);
            t.engine.scripts().attach(e, "signal_receiver", 1, null);
            w.setVar(e, "target", new VarValue.I64(e));
            t.run(3);
            assertThat(w.getVar(e, "pings")).isEqualTo(new VarValue.I64(3));
            assertThat(messages(t)).contains("signal_sender@0 got pong #3 from 0");
        }
    }

    @Test
    void scriptVarsAreSharedByTheScriptsOfAnEntity() {
        try (TestEngine t = new TestEngine()) {
            load(t, "shared_vars.zig");
            World w = t.engine.world();
            long e = w.spawn();
            w.setVar(e, "counter", new VarValue.I64(10));
            t.engine.scripts().attach(e, "shared_vars", 0, null);
            t.engine.scripts().attach(e, "shared_vars", 1, null);
            t.run(2);
            // Both read the same applied value each frame; both write value + 1.
            assertThat(t.logs).extracting(LogEntry::message).containsExactly("read 10", "read 10", "read 11", "read 11");
            assertThat(w.getVar(e, "counter")).isEqualTo(new VarValue.I64(12));
        }
    }

    @Test
    void aCascadeDeeperThanTheRoundLimitContinuesAtTheNextBarrier() {
        try (TestEngine t = new TestEngine()) {
            load(t, "signal_echo.zig");
            World w = t.engine.world();
            long e = w.spawn();
            t.engine.scripts().attach(e, "signal_echo", 0, null);
            w.setVar(e, "limit", new VarValue.I64(20));
            t.step();
            // The update barrier ran DISPATCH_ROUNDS_MAX hops (each payload carried the hop), the
            // rest waits for the post-update barrier, with a warning.
            long afterUpdate = ((VarValue.I64) w.getVar(e, "hops")).value();
            assertThat(afterUpdate).isBetween((long) ScriptRuntime.DISPATCH_ROUNDS_MAX, 20L);
            assertThat(t.messages(LogEntry.Level.WARN)).anyMatch(m -> m.contains("signal cascade deeper than"));
            t.run(3);
            assertThat(w.getVar(e, "hops")).isEqualTo(new VarValue.I64(20));
        }
    }
}
