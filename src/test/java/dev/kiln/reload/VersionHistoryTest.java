package dev.kiln.reload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A script's good versions: bounded, oldest forgotten first, and a step back gives up the newest. */
class VersionHistoryTest {
    @Test
    void aLongSessionOfSavesKeepsOnlyTheNewestVersions() {
        VersionHistory history = new VersionHistory(Path.of("lib-0.so"));
        List<Path> saved = new ArrayList<>(List.of(Path.of("lib-0.so")));
        for (int v = 1; v <= 1_000; v++) {
            history.add(Path.of("lib-" + v + ".so"));
            saved.add(Path.of("lib-" + v + ".so"));
        }
        assertThat(history.size()).isEqualTo(VersionHistory.VERSIONS_KEPT);
        assertThat(history.list()).isEqualTo(saved.subList(saved.size() - VersionHistory.VERSIONS_KEPT, saved.size()));
    }

    @Test
    void aStepBackGivesUpTheNewestForTheOneBeforeAndNeverTheLast() {
        VersionHistory history = new VersionHistory(Path.of("a.so"));
        assertThat(history.stepBack()).isNull(); // nothing before the first
        history.add(Path.of("b.so"));
        VersionHistory.StepBack back = history.stepBack();
        assertThat(back).isEqualTo(new VersionHistory.StepBack(Path.of("b.so"), Path.of("a.so")));
        assertThat(history.list()).containsExactly(Path.of("a.so"));
        history.add(back.current()); // the revert failed: given back
        assertThat(history.list()).containsExactly(Path.of("a.so"), Path.of("b.so"));
    }
}
