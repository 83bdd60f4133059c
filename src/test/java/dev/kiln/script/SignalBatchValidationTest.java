package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.TestEngine;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A compact signal batch written by hand in C (src/test/c/c_batch.c): the engine uses
 * kiln_script_signal_batch when a library exports it (records when told not to), applies each
 * delivery's range from the outcome list, and refuses outcomes it cannot check — out of order,
 * or past the call's deliveries — reporting how many and applying none of their ranges.
 */
class SignalBatchValidationTest {
    /** c_batch's log lines after three "ping"s from the host (payloads 1, 2, 3) in one round. */
    private static List<String> pings(boolean compact, boolean liar) {
        try (TestEngine t = new TestEngine()) {
            t.load(TestEngine.home().resolve("src/test/c/c_batch.c"));
            t.engine.scripts().setCompactSignalBatches(compact);
            long e = t.engine.world().spawn();
            ScriptInstance i = t.engine.scripts().attach(e, "c_batch", 0, null);
            t.run(1); // init: the connection applies at the barrier
            if (liar) assertThat(StateFields.write(i, "liar", "1")).isNull();
            for (byte b = 1; b <= 3; b++) t.engine.scripts().emitFromHost("ping", new byte[] {b}, e);
            t.run(1);
            return t.logs.stream().map(l -> l.level() + " " + l.message()).toList();
        }
    }

    @Test
    void aLibraryWithTheExportGetsOneBatchAndEachDeliverysRangeIsApplied() {
        assertThat(pings(true, false)).containsExactly("INFO batch 1", "INFO batch 2", "INFO batch 3");
        assertThat(pings(false, false)).containsExactly("INFO classic 1", "INFO classic 2", "INFO classic 3");
    }

    @Test
    void outcomesOutOfOrderOrPastTheDeliveriesAreRefusedAndReported() {
        List<String> lines = pings(true, true);
        // reported when the call returns; the one range it could check is applied after it
        assertThat(lines).containsExactly(
                "WARN script 'c_batch' wrote 2 malformed signal outcome(s) (out of order, or past its deliveries): refused",
                "INFO batch 3");
    }
}
