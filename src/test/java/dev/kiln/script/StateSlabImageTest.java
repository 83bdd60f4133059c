package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A State slab's image puts back every chunk's bytes (live and free slots), the free list in its
 * reuse order and the live count: after a restore the slab reads as it did, and the next
 * allocations get the same slots as they would have then, even after chunks were added since
 * (taken out of use and reused, zeroed, by a later allocation of their size).
 */
class StateSlabImageTest {
    @Test
    void aRestoredSlabHoldsTheSameBytesAndHandsOutTheSameSlots() {
        try (Arena arena = Arena.ofConfined()) {
            StateSlab slab = new StateSlab(arena, 12, 4); // 16-byte slots
            List<MemorySegment> live = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                MemorySegment s = slab.allocate();
                s.set(ValueLayout.JAVA_INT, 0, 100 + k);
                live.add(s);
            }
            slab.release(live.remove(1)); // a free slot with a detached State's bytes in it
            StateSlab.Image image = slab.image();
            long nextThen = slab.slotCode(slab.allocate());
            long[] codes = live.stream().mapToLong(slab::slotCode).toArray();

            for (int k = 0; k < 1500; k++) slab.allocate().set(ValueLayout.JAVA_INT, 4, -1); // a second chunk
            live.get(0).set(ValueLayout.JAVA_INT, 0, 999);
            assertThat(slab.chunks()).hasSize(2);

            slab.restore(image);
            assertThat(slab.chunks()).as("the chunk added since is out of use").hasSize(1);
            assertThat(slab.chunks().getFirst().toArray(ValueLayout.JAVA_BYTE)).isEqualTo(image.chunks()[0]);
            assertThat(slab.liveSlots()).isEqualTo(4);
            int[] values = new int[codes.length];
            for (int k = 0; k < codes.length; k++) values[k] = slab.slot(codes[k]).get(ValueLayout.JAVA_INT, 0);
            assertThat(values).as("each live State in its slot, as it was").containsExactly(100, 102, 103, 104);
            assertThat(slab.slotCode(slab.allocate())).as("the same slot as the next allocation then").isEqualTo(nextThen);
            // 1019 slots left in the first chunk, then 81 of the second: the spare, whose slots up
            // to 480 held -1s before the restore; reused, it reads as a fresh allocation.
            for (int k = 0; k < 1100; k++) slab.allocate();
            assertThat(slab.chunks().get(1).toArray(ValueLayout.JAVA_BYTE)).as("the spare chunk reused zeroed").containsOnly((byte) 0);
        }
    }

    @Test
    void anImageOfAnotherSlotSizeIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            StateSlab.Image image = new StateSlab(arena, 12, 4).image();
            StateSlab other = new StateSlab(arena, 40, 8);
            assertThatThrownBy(() -> other.restore(image)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16-byte");
        }
    }
}
