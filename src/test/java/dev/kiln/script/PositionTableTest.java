package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.abi.Layouts;
import dev.kiln.dataplane.SnapshotPublisher;
import dev.kiln.ecs.Entities;
import dev.kiln.ecs.Vec3;
import dev.kiln.ecs.World;
import dev.kiln.testing.TestEngine;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * The snapshot's position table (kiln_snapshot.positions, struct_version 3) and the rows'
 * positions: the table is the world's positions after every barrier; the rows' positions are kept
 * only while a loaded library reads them (one that does not declare KILN_READS_POSITION_TABLE: a
 * C script here), and brought up to date the moment one is loaded.
 */
class PositionTableTest {
    private static final int MOVERS = 40;

    @Test
    void rowPositionsAreKeptOnlyWhileALoadedLibraryReadsThem() {
        try (TestEngine t = new TestEngine()) {
            World world = t.engine.world();
            ScriptRuntime scripts = t.engine.scripts();
            t.load(TestEngine.example("mover.zig")); // reads its position through the SDK: from the table
            long[] movers = new long[MOVERS];
            for (int i = 0; i < MOVERS; i++) {
                movers[i] = world.spawn(i * 0.5f - 10, 0, 0, 0, 0, 0, 1, 1, 1, 1); // within the bound (12): some reach it
                scripts.attach(movers[i], "mover", 0, null);
            }
            t.run(250); // not a whole number of seconds: no mover is back where it started
            SnapshotPublisher snapshot = scripts.snapshot();
            assertThat(snapshot.rowPositionsKept()).as("kept with only SDK libraries loaded").isFalse();
            assertTableIsTheWorlds(snapshot, world, movers);
            // every mover turned at the bound: its reads of its own position were right
            for (long m : movers) assertThat(Math.abs(world.position(m).x())).isLessThan(12f + 2f / 30);
            assertThat(world.position(movers[MOVERS - 1]).x()).as("the last mover turned").isLessThan(9.5f);
            // the rows' positions were left as they were: a mover's row still says where it was spawned
            long stale = 0;
            for (long m : movers) {
                if (rowPosition(snapshot, m).x() != world.position(m).x()) stale++;
            }
            assertThat(stale).as("rows not written by the moves").isEqualTo(MOVERS);

            ScriptLibrary c = t.load(TestEngine.home().resolve("src/test/c/c_mover.c")); // reads rows, if anything
            assertThat(c.info().readsPositionTable()).isFalse();
            t.run(1); // its first phase: every row's position brought up to date first, then kept
            assertThat(snapshot.rowPositionsKept()).isTrue();
            for (long m : movers) {
                assertThat(rowPosition(snapshot, m).x()).as("row of %s", Entities.format(m))
                        .isEqualTo(world.position(m).x());
            }
            t.run(30);
            assertTableIsTheWorlds(snapshot, world, movers);
            for (long m : movers) assertThat(rowPosition(snapshot, m).x()).isEqualTo(world.position(m).x());

            scripts.unload(c);
            t.run(1);
            assertThat(snapshot.rowPositionsKept()).as("kept after the reader was unloaded").isFalse();
        }
    }

    /** Each entity's entry of the position table: the world's position, its generation (it is alive). */
    private static void assertTableIsTheWorlds(SnapshotPublisher snapshot, World world, long[] entities) {
        long size = Layouts.POSITION_ENTRY.byteSize();
        for (long e : entities) {
            int i = Entities.index(e);
            Vec3 p = world.position(e);
            var table = snapshot.positionTable();
            assertThat(new Vec3(table.get(ValueLayout.JAVA_FLOAT, i * size), table.get(ValueLayout.JAVA_FLOAT, i * size + 4),
                    table.get(ValueLayout.JAVA_FLOAT, i * size + 8))).as("positions[%d]", i).isEqualTo(p);
            assertThat(table.get(ValueLayout.JAVA_INT, i * size + 12)).as("positions[%d].generation", i)
                    .isEqualTo(Entities.generation(e));
        }
    }

    private static Vec3 rowPosition(SnapshotPublisher snapshot, long e) {
        long at = Entities.index(e) * Layouts.ENTITY_ROW.byteSize() + Layouts.ROW_POSITION;
        var rows = snapshot.rowTable();
        return new Vec3(rows.get(ValueLayout.JAVA_FLOAT, at), rows.get(ValueLayout.JAVA_FLOAT, at + 4),
                rows.get(ValueLayout.JAVA_FLOAT, at + 8));
    }
}
