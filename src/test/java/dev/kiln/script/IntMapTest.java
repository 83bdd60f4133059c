package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

/** IntMap agrees with HashMap over any sequence of puts and removes (deletion shifts probe runs), values view included. */
class IntMapTest {
    record Op(boolean put, int key) {}

    /** Keys: a few hundred distinct ones, dense or spread by a stride (high bits only), or negative. */
    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> stride = Arbitraries.of(1, 16, 1024, 65536, -1, -7919);
        return stride.flatMap(s -> Arbitraries.integers().between(0, 200).flatMap(k -> Arbitraries.of(true, true, false)
                .map(put -> new Op(put, k * s))).list().ofMaxSize(400));
    }

    /**
     * Removing a key while iterating the values is refused at the next step, as HashMap's views
     * do: a backward-shift removal can move an entry not yet reached behind the iterator, which
     * would otherwise skip it silently or hand out null.
     */
    @Example
    void removingDuringAnIterationIsRefused() {
        IntMap<Integer> map = new IntMap<>();
        for (int k = 1; k <= 40; k++) map.put(k, k);
        Iterator<Integer> it = map.values().iterator();
        map.remove(it.next());
        assertThatThrownBy(it::next).isInstanceOf(ConcurrentModificationException.class);
        assertThatThrownBy(it::hasNext).isInstanceOf(ConcurrentModificationException.class);
    }

    @Property
    void behavesLikeAHashMap(@ForAll("ops") List<Op> ops) {
        IntMap<Integer> map = new IntMap<>();
        Map<Integer, Integer> reference = new HashMap<>();
        int step = 0;
        for (Op op : ops) {
            step++;
            if (op.put()) {
                map.put(op.key(), step);
                reference.put(op.key(), step);
            } else {
                map.remove(op.key());
                reference.remove(op.key());
            }
            assertThat(map.size()).isEqualTo(reference.size());
        }
        for (Op op : ops) assertThat(map.get(op.key())).isEqualTo(reference.get(op.key()));
        // the values view holds exactly the live values (each once), whatever the probe runs did
        assertThat(map.values()).hasSize(reference.size()).containsExactlyInAnyOrderElementsOf(reference.values());
        map.remove(Integer.MIN_VALUE); // the reserved key: never stored, so nothing changes
        assertThat(map.size()).isEqualTo(reference.size());
    }
}
