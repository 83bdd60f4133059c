package dev.kiln.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.Entities;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The applier's spawn-result window: lookups by request id, dropping old frames, growth. */
class SpawnResultsTest {
    @Test
    void findsResultsByRequestIdSortedOrNot() {
        SpawnResults r = new SpawnResults();
        for (int id = 1; id <= 300; id++) r.add(0, id, 1000 + id); // grows past the first arrays
        assertThat(r.entityOf(1)).isEqualTo(1001);
        assertThat(r.entityOf(300)).isEqualTo(1300);
        assertThat(r.entityOf(301)).isEqualTo(Entities.NULL);
        r.add(0, 7_000, Entities.NULL); // a failed spawn
        r.add(0, 5_000, 42); // out of id order (two libraries interleaved): inserted in place
        assertThat(r.entityOf(7_000)).isEqualTo(Entities.NULL);
        assertThat(r.entityOf(5_000)).isEqualTo(42);
        assertThat(r.entityOf(150)).isEqualTo(1150);
        // The table the SDK binary-searches is sorted by id.
        for (int k = 1; k < r.count(); k++) {
            assertThat(Integer.compareUnsigned((int) r.requestId(k - 1), (int) r.requestId(k))).isNegative();
        }
        assertThat(r.requestId(r.count() - 2)).isEqualTo(5_000);
    }

    @Test
    void aSteadySpawnerMovesTheTableAtMostOnceEveryFewFrames() {
        // W3's barrier: room reserved for the range's possible spawns (1,400), 1,000 appended
        // natively, the frame before last dropped at the publish. A table just big enough was
        // moved to the front at every barrier: two frames' results copied every frame.
        SpawnResults r = new SpawnResults();
        long id = 1;
        int moves = 0;
        for (long frame = 0; frame < 100; frame++) {
            int tail = r.tail();
            r.reserve(1_400);
            if (frame >= 10 && r.tail() != tail) moves++;
            MemorySegment table = r.table();
            for (int k = 0; k < 1_000; k++, id++) {
                table.setAtIndex(ValueLayout.JAVA_LONG, 2L * (r.tail() + k), id);
                table.setAtIndex(ValueLayout.JAVA_LONG, 2L * (r.tail() + k) + 1, 1_000_000 + id);
            }
            r.appended(frame, 1_000);
            r.dropBefore(frame - 1);
            assertThat(r.count()).isEqualTo(frame == 0 ? 1_000 : 2_000);
            assertThat(r.entityOf((int) (id - 1))).isEqualTo(1_000_000 + id - 1);
            assertThat(r.requestId(0)).isEqualTo(frame == 0 ? 1 : id - 2_000);
        }
        assertThat(moves).as("moves in 90 frames").isLessThanOrEqualTo(25);
    }

    @Test
    void addingInBulkLeavesTheTableOneAddAtATimeWould() {
        Random random = new Random(7);
        SpawnResults bulk = new SpawnResults(), single = new SpawnResults();
        long nextId = 1;
        for (long frame = 0; frame < 200; frame++) {
            int n = 1 + random.nextInt(700); // past the first arrays now and then
            long[] pairs = new long[2 * n];
            for (int k = 0; k < n; k++) {
                // mostly ascending past the table (a spawner's run); now and then an id from before
                long id = random.nextInt(10) == 0 ? 1 + random.nextInt((int) nextId) : nextId++;
                pairs[2 * k] = id;
                pairs[2 * k + 1] = frame * 10_000 + k;
            }
            bulk.addAll(frame, pairs, n);
            for (int k = 0; k < n; k++) single.add(frame, pairs[2 * k], pairs[2 * k + 1]);
            bulk.dropBefore(frame - 1);
            single.dropBefore(frame - 1);
            assertThat(bulk.count()).isEqualTo(single.count());
            for (int k = 0; k < single.count(); k++) {
                assertThat(bulk.requestId(k)).isEqualTo(single.requestId(k));
                assertThat(bulk.entity(k)).isEqualTo(single.entity(k));
            }
        }
    }

    @Test
    void dropsOlderFramesAndKeepsTheRestInOrder() {
        SpawnResults r = new SpawnResults();
        for (long frame = 0; frame < 50; frame++) {
            for (int k = 0; k < 40; k++) r.add(frame, frame * 40 + k + 1, frame * 1000 + k);
            r.dropBefore(frame - 1); // the applier keeps this frame's and the previous one's
            int expected = frame == 0 ? 40 : 80;
            assertThat(r.count()).isEqualTo(expected);
            assertThat(r.requestId(0)).isEqualTo((frame == 0 ? 0 : frame - 1) * 40 + 1);
            assertThat(r.entity(r.count() - 1)).isEqualTo(frame * 1000 + 39);
        }
        assertThat(r.entityOf(48 * 40 + 1)).isEqualTo(48_000);
        assertThat(r.entityOf(47 * 40 + 1)).isEqualTo(Entities.NULL);
        long v = r.version();
        r.dropBefore(0);
        assertThat(r.version()).isEqualTo(v); // nothing dropped: unchanged, not republished
    }

    @Test
    void requestIdsCompareAsUnsigned32BitValues() {
        SpawnResults r = new SpawnResults();
        r.add(0, 0x7FFF_FFFFL, 1);
        r.add(0, 0x8000_0000L, 2); // above 2^31: still in order, as the SDK compares
        r.add(0, 0xFFFF_FFF0L, 3);
        assertThat(r.entityOf(0x8000_0000)).isEqualTo(2);
        assertThat(r.entityOf(0xFFFF_FFF0)).isEqualTo(3);
        assertThat(r.entityOf(0x7FFF_FFFF)).isEqualTo(1);
    }

    /**
     * The native churn pass's way in: results written at the tail of the table's own memory
     * after a reserve, then taken with appended; the published view is that memory (nothing
     * copied), and growing or compacting the table keeps every result.
     */
    @Test
    void resultsWrittenAtTheTailArePublishedFromTheTableItself() {
        SpawnResults r = new SpawnResults();
        assertThat(r.lastRequestId()).isEqualTo(-1);
        long id = 0x7FFF_FF00L; // past 2^31 on the way: ids compare as unsigned 32-bit values
        for (long frame = 0; frame < 40; frame++) {
            int n = 1 + (int) (frame * 37 % 150);
            r.reserve(n);
            assertThat(r.capacity()).isGreaterThanOrEqualTo(r.tail() + n);
            MemorySegment table = r.table();
            long before = r.version();
            for (int k = 0; k < n; k++) {
                table.setAtIndex(ValueLayout.JAVA_LONG, 2L * (r.tail() + k), (id + k) & 0xFFFF_FFFFL);
                table.setAtIndex(ValueLayout.JAVA_LONG, 2L * (r.tail() + k) + 1, frame * 1000 + k);
            }
            r.appended(frame, n);
            assertThat(r.version()).isNotEqualTo(before);
            assertThat(r.lastRequestId()).isEqualTo((id + n - 1) & 0xFFFF_FFFFL);
            assertThat(r.entityOf((int) (id + n - 1))).isEqualTo(frame * 1000 + n - 1);
            id += n;
            r.dropBefore(frame - 1);
            long[] published = r.published().reinterpret(16L * r.count()).toArray(ValueLayout.JAVA_LONG);
            for (int k = 0; k < r.count(); k++) {
                assertThat(published[2 * k]).isEqualTo(r.requestId(k));
                assertThat(published[2 * k + 1]).isEqualTo(r.entity(k));
            }
        }
    }
}
