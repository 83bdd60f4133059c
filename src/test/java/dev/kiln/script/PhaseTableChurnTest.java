package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.Entities;
import dev.kiln.ecs.VarValue;
import dev.kiln.testing.TestEngine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The phase tables are updated in place on attach, detach and enable/disable (and rebuilt on a
 * priority change or after many changes at once). Whatever the mix, each phase must run exactly
 * the live, enabled instances in canonical order: checked against the order the test computes,
 * frame by frame, through the order_a / order_b scripts' logs (applied in canonical order).
 * Scripts that panic in their first update (faulty.zig) are attached now and then: each fault
 * disables its instance in the middle of a phase, another in-place change.
 */
class PhaseTableChurnTest {
    private static final List<Phase> PHASES = List.of(Phase.PRE_UPDATE, Phase.UPDATE);

    @Test
    void churnKeepsEveryPhaseInCanonicalOrder() {
        try (TestEngine t = new TestEngine()) {
            t.loadTest("order_a.zig");
            t.loadTest("order_b.zig");
            t.loadTest("faulty.zig");
            long[] entities = new long[30];
            for (int i = 0; i < entities.length; i++) entities[i] = t.engine.world().spawn();
            long[] doomed = new long[5]; // entities whose faulty scripts panic
            for (int i = 0; i < doomed.length; i++) {
                doomed[i] = t.engine.world().spawn();
                t.engine.world().setVar(doomed[i], "fault", new VarValue.I64(1));
            }
            Random random = new Random(7);
            List<ScriptInstance> live = new ArrayList<>();
            for (int frame = 0; frame < 120; frame++) {
                // Mostly one or two changes a frame (the incremental path); now and then a burst
                // larger than the incremental limit, or a priority change (full rebuilds).
                int changes = frame % 40 == 39 ? 80 : random.nextInt(4);
                for (int c = 0; c < changes; c++) change(t, random, entities, live, frame % 25 == 24);
                if (frame % 7 == 3) {
                    t.engine.scripts().attach(doomed[random.nextInt(doomed.length)], "faulty", random.nextInt(3) - 1, null);
                }
                t.logs.clear();
                t.step();
                assertThat(trace(t)).as("frame %d", frame).containsExactlyElementsOf(expected(live));
                if (frame % 7 == 3) {
                    assertThat(t.logs).as("frame %d", frame).anyMatch(l -> l.message().contains("fault contained: panic: boom"));
                }
            }
        }
    }

    private static void change(TestEngine t, Random random, long[] entities, List<ScriptInstance> live,
                               boolean allowPriority) {
        ScriptRuntime scripts = t.engine.scripts();
        int op = live.isEmpty() ? 0 : random.nextInt(allowPriority ? 5 : 4);
        switch (op) {
            case 0, 1 -> live.add(scripts.attach(entities[random.nextInt(entities.length)],
                    random.nextBoolean() ? "order_a" : "order_b", random.nextInt(3) - 1,
                    PHASES.get(random.nextInt(PHASES.size()))));
            case 2 -> scripts.detach(live.remove(random.nextInt(live.size())));
            case 3 -> {
                ScriptInstance i = live.get(random.nextInt(live.size()));
                scripts.setEnabled(i, !i.enabled());
            }
            default -> scripts.setPriority(live.get(random.nextInt(live.size())), random.nextInt(3) - 1);
        }
    }

    private static List<String> expected(List<ScriptInstance> live) {
        List<String> out = new ArrayList<>();
        for (Phase phase : PHASES) {
            live.stream().filter(i -> i.enabled() && i.phase() == phase)
                    .sorted(Comparator.comparing((ScriptInstance i) -> i, ScriptInstance::compareOrder))
                    .forEach(i -> out.add(label(i.scriptName(), phase.name().toLowerCase(Locale.ROOT), i.entity())));
        }
        return out;
    }

    private static List<String> trace(TestEngine t) {
        return t.logs.stream()
                .filter(l -> l.message().equals("pre_update") || l.message().equals("update"))
                .map(l -> label(l.script(), l.message(), l.entity()))
                .toList();
    }

    private static String label(String script, String phase, long entity) {
        return script + ":" + phase + "@" + Entities.index(entity);
    }
}
