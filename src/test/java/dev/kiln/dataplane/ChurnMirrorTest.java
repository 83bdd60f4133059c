package dev.kiln.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.World;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * native/kiln_churn.h and the Java side that shares its counters array and extras bits (World's
 * CHURN_* and EXTRA_* constants, ChurnApply's own slots) must agree slot for slot: a mismatch
 * would read the free list's length as the live count.
 */
class ChurnMirrorTest {
    @Test
    void theCounterSlotsAndExtrasBitsMatchTheHeader() throws Exception {
        String header = Files.readString(TestEngine.home().resolve("native/kiln_churn.h"));
        Map<String, Integer> c = new HashMap<>();
        Matcher m = Pattern.compile("(KILN_CHURN_\\w+)\\s*=\\s*(\\d+)\\s*,").matcher(header);
        while (m.find()) c.put(m.group(1), Integer.parseInt(m.group(2)));
        Matcher d = Pattern.compile("#define (KILN_CHURN_EXTRA_\\w+) (\\d+)u").matcher(header);
        while (d.find()) c.put(d.group(1), Integer.parseInt(d.group(2)));
        assertThat(c).containsEntry("KILN_CHURN_HIGH_WATER", World.HOT_HIGH_WATER)
                .containsEntry("KILN_CHURN_DIRTY_COUNT", World.HOT_DIRTY_COUNT)
                .containsEntry("KILN_CHURN_MOVING_COUNT", World.HOT_MOVING_COUNT)
                .containsEntry("KILN_CHURN_POSITIONS_VERSION", World.HOT_POSITIONS_VERSION)
                .containsEntry("KILN_CHURN_FREE_COUNT", World.CHURN_FREE_COUNT)
                .containsEntry("KILN_CHURN_ALIVE_COUNT", World.CHURN_ALIVE_COUNT)
                .containsEntry("KILN_CHURN_CAPACITY", World.CHURN_CAPACITY)
                .containsEntry("KILN_CHURN_ENTITIES_MAX", World.CHURN_ENTITIES_MAX)
                .containsEntry("KILN_CHURN_SPAWNED", ChurnApply.SPAWNED)
                .containsEntry("KILN_CHURN_SPAWNED_CAPACITY", ChurnApply.SPAWNED_CAPACITY)
                .containsEntry("KILN_CHURN_APPLIED", ChurnApply.APPLIED)
                .containsEntry("KILN_CHURN_LAST_ID", ChurnApply.LAST_ID)
                .containsEntry("KILN_CHURN_STOP", ChurnApply.STOP)
                .containsEntry("KILN_CHURN_POSITION_TABLE", ChurnApply.POSITION_TABLE)
                .containsEntry("KILN_CHURN_EXTRA_DATA", World.EXTRA_DATA)
                .containsEntry("KILN_CHURN_EXTRA_SCRIPTS", World.EXTRA_SCRIPTS);
        assertThat(header).contains("KILN_CHURN_COUNTERS = " + ChurnApply.COUNTERS);
    }
}
