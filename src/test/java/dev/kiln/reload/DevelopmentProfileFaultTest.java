package dev.kiln.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.build.ScriptCompiler;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.Vec3;
import dev.kiln.ecs.World;
import dev.kiln.engine.EngineOptions;
import dev.kiln.script.LogEntry;
import dev.kiln.script.ScriptInstance;
import dev.kiln.script.StateFields;
import dev.kiln.testing.TestEngine;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The development profile watched runs build with (Debug, Zig's own backend, the warm
 * compiler) keeps Zig's safety checks: a panic, an overflow, a bad index are caught in the
 * script's library and contained by the fault guard, as in ReleaseSafe (FaultContainmentTest).
 */
class DevelopmentProfileFaultTest {
    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "1 | explicit @panic         | panic: boom",
            "2 | integer overflow        | panic: integer overflow",
            "3 | index out of bounds     | panic: index out of bounds: index 7, len 3",
            "4 | unreachable             | panic: reached unreachable code",
            "5 | null pointer write      | SIGSEGV (invalid memory access) at address 0x10",
            "7 | division by zero        | panic: division by zero",
            "9 | @trap                   | SIGILL (illegal instruction, e.g. @trap)",
    })
    void aFaultInADevelopmentBuildIsContainedAndOnlyTheFaultyInstanceStops(int kind, String name, String expected) {
        try (TestEngine t = new TestEngine(EngineOptions.defaults().withMode(ScriptCompiler.Mode.DEVELOPMENT))) {
            t.loadTest("faulty.zig");
            t.load(TestEngine.example("mover.zig"));
            assertThat(t.engine.scripts().library("faulty").info().buildModeName()).isEqualTo("Debug");
            World w = t.engine.world();
            long e1 = w.spawn(), e2 = w.spawn(), e3 = w.spawn();
            ScriptInstance faulty = t.engine.scripts().attach(e1, "faulty", 0, null);
            ScriptInstance neighbour = t.engine.scripts().attach(e2, "faulty", 1, null);
            t.engine.scripts().attach(e3, "mover", 0, null);
            w.setVar(e1, "speed", new VarValue.F64(60));
            w.setVar(e3, "speed", new VarValue.F64(60));
            t.run(2);
            Vec3 before = w.position(e1);
            w.setVar(e1, "fault", new VarValue.I64(kind));
            t.run(3);

            List<LogEntry> errors = t.logs.stream().filter(l -> l.level() == LogEntry.Level.ERROR).toList();
            assertThat(errors).hasSize(1);
            assertThat(errors.getFirst().script()).isEqualTo("faulty");
            assertThat(errors.getFirst().message()).contains("fault contained: " + expected).contains("disabled");
            assertThat(faulty.enabled()).isFalse();
            assertThat(w.position(e1)).isEqualTo(before); // the faulting call's requests discarded
            assertThat((Long) StateFields.read(neighbour, "updates")).isEqualTo(5L);
            assertThat(w.position(e3).x()).isEqualTo(5f);
        }
    }
}
