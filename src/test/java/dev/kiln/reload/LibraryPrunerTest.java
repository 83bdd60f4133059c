package dev.kiln.reload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** build/libs stays bounded: the kept and the most recent versions of a script stay, the rest go. */
class LibraryPrunerTest {
    @Test
    void keepsTheNamedAndTheNewestVersionsOfOneScriptOnly(@TempDir Path libs) throws Exception {
        Path[] versions = new Path[20];
        for (int v = 0; v < versions.length; v++) {
            versions[v] = Files.writeString(libs.resolve("libmover-%016x.so".formatted(v)), "v" + v);
            Files.writeString(libs.resolve(versions[v].getFileName() + ".inputs"), "mover.zig");
            Files.setLastModifiedTime(versions[v], FileTime.fromMillis(1_000_000L * (v + 1)));
        }
        Path other = Files.writeString(libs.resolve("libspinner-%016x.so".formatted(1)), "another script");
        Path moverish = Files.writeString(libs.resolve("libmover2-%016x.so".formatted(1)), "another script too");

        int deleted = LibraryPruner.prune(libs, "mover", Set.of(versions[2], versions[5]));

        assertThat(deleted).isEqualTo(20 - LibraryPruner.RECENT_VERSIONS_KEPT - 2);
        try (Stream<Path> left = Files.list(libs)) {
            assertThat(left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("libmover-") && n.endsWith(".so")))
                    .containsExactlyInAnyOrder(Stream.of(2, 5, 12, 13, 14, 15, 16, 17, 18, 19)
                            .map(v -> "libmover-%016x.so".formatted(v)).toArray(String[]::new));
        }
        assertThat(libs.resolve(versions[0].getFileName() + ".inputs")).doesNotExist();
        assertThat(libs.resolve(versions[19].getFileName() + ".inputs")).exists();
        assertThat(other).exists();
        assertThat(moverish).exists();
    }
}
