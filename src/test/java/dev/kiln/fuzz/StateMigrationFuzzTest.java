package dev.kiln.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.abi.ScriptInfo.StateField;
import dev.kiln.abi.ScriptInfo;
import dev.kiln.state.StateMigration;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * State blobs and field tables come from script libraries: migration between any two layouts
 * must produce exactly the new State's size, keep same-named same-typed fields bit for bit,
 * and never throw.
 */
class StateMigrationFuzzTest {
    private static final String[] TYPES = {"bool", "i32", "u32", "i64", "u64", "f32", "f64", "vec3", "quat", "other"};
    private static final int[] SIZES = {1, 4, 4, 8, 8, 4, 8, 12, 16, 24};
    private static final String[] NAMES = {"a", "b", "speed", "count", "pos", "hp", "timer", "flag"};

    record Layout(List<StateField> fields, int size) {}

    @Provide
    Arbitrary<Layout> layouts() {
        return Arbitraries.integers().between(0, NAMES.length - 1).list().uniqueElements().ofMaxSize(6)
                .flatMap(names -> Arbitraries.integers().between(0, TYPES.length - 1).list().ofSize(names.size())
                        .map(types -> {
                            List<StateField> fields = new ArrayList<>();
                            int offset = 0;
                            for (int i = 0; i < names.size(); i++) {
                                int t = types.get(i);
                                int align = Math.min(8, Integer.highestOneBit(SIZES[t]));
                                offset = (offset + align - 1) / align * align;
                                fields.add(new StateField(NAMES[names.get(i)], t == 9 ? 0 : t + 1, offset, SIZES[t]));
                                offset += SIZES[t];
                            }
                            return new Layout(fields, (offset + 7) / 8 * 8);
                        }));
    }

    @Property
    void migrationBetweenAnyLayoutsIsTotalAndKeepsMatchingFields(@ForAll("layouts") Layout from, @ForAll("layouts") Layout to,
                                                               @ForAll("seeds") long seed) {
        Random random = new Random(seed);
        byte[] old = new byte[from.size()];
        random.nextBytes(old);
        byte[] defaults = new byte[to.size()];
        random.nextBytes(defaults);
        byte[] migrated = new StateMigration(ScriptInfo.typeOfFieldTable(from.fields(), from.size()), ScriptInfo.typeOfFieldTable(to.fields(), to.size()), defaults).migrate(old);
        assertThat(migrated).hasSize(to.size());
        for (StateField n : to.fields()) {
            StateField o = from.fields().stream().filter(f -> f.name().equals(n.name())).findFirst().orElse(null);
            byte[] got = Arrays.copyOfRange(migrated, n.offset(), n.offset() + n.size());
            if (o == null) {
                assertThat(got).as("added %s keeps its default (seed %d)", n.name(), seed)
                        .isEqualTo(Arrays.copyOfRange(defaults, n.offset(), n.offset() + n.size()));
            } else if (o.type() == n.type() && o.size() == n.size()) {
                assertThat(got).as("kept %s (seed %d)", n.name(), seed)
                        .isEqualTo(Arrays.copyOfRange(old, o.offset(), o.offset() + o.size()));
            }
        }
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Property
    void numericWideningRoundTripsExactly(@ForAll int value) {
        List<StateField> narrow = List.of(new StateField("n", 2, 0, 4));   // i32
        List<StateField> wide = List.of(new StateField("n", 4, 0, 8));     // i64
        byte[] old = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value).array();
        byte[] widened = new StateMigration(ScriptInfo.typeOfFieldTable(narrow, 8), ScriptInfo.typeOfFieldTable(wide, 8), new byte[8]).migrate(old);
        assertThat(ByteBuffer.wrap(widened).order(ByteOrder.LITTLE_ENDIAN).getLong(0)).isEqualTo(value);
    }
}
