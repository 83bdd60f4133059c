package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** IntMap agrees with HashMap over any sequence of puts and removes (deletion shifts probe runs). */
class IntMapTest {
    record Op(boolean put, int key) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        // Few distinct keys, many operations: long probe runs, removals in their middle, growth.
        return Arbitraries.integers().between(0, 200).flatMap(k -> Arbitraries.of(true, true, false)
                .map(put -> new Op(put, k))).list().ofMaxSize(400);
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
        for (int k = 0; k <= 200; k++) assertThat(map.get(k)).isEqualTo(reference.get(k));
    }
}
