package dev.kiln.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Migration between random pairs of State types (nested structs, arrays, enums, optionals,
 * every integer width up to 128 bits, f16/f32/f64, entities) agrees with a model of the rules written here,
 * on values rather than bytes: the old value is encoded with random padding, migrated, decoded
 * in the new type and compared with what the model says it must be.
 */
class StateMigrationModelTest {
    private static final String[] NAMES = {"a", "b", "hp", "mode", "pos", "list", "maybe", "n"};
    private static final String[] TAGS = {"idle", "chase", "flee", "patrol", "dead"};
    private static final int[] BITS = {1, 3, 7, 8, 9, 15, 16, 24, 31, 32, 33, 63, 64, 65, 127, 128};
    private static final double[] FLOATS = {0, -0.0, 1.5, -2.25, 65504, 70000, 1e10, -1e39, 3.4e38, 1e300,
            Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1};

    @Property(tries = 2000)
    void migrationAgreesWithTheModel(@ForAll long seed) {
        Random random = new Random(seed);
        StateType.StructType oldType = struct(random, 0, "Old");
        StateType.StructType newType = random.nextInt(4) == 0 ? struct(random, 0, "New") : mutate(random, oldType);
        Object oldValue = value(random, oldType);
        Object newDefault = value(random, newType);

        byte[] oldBytes = garbage(random, oldType.size());
        encode(oldType, oldValue, oldBytes, 0);
        byte[] defaults = garbage(random, newType.size());
        encode(newType, newDefault, defaults, 0);

        StateMigration migration = new StateMigration(oldType, newType, defaults);
        byte[] migrated = migration.migrate(oldBytes);
        assertThat(migrated).hasSize(newType.size());
        // The swap's allocation-free path (native State to native State, reused dirty buffers) agrees.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment from = arena.allocate(Math.max(1, oldBytes.length));
            from.copyFrom(MemorySegment.ofArray(oldBytes));
            MemorySegment to = arena.allocate(Math.max(1, migrated.length));
            byte[] oldScratch = garbage(random, oldBytes.length + 8), newScratch = garbage(random, migrated.length + 8);
            migration.migrate(from.asSlice(0, oldBytes.length), to, oldScratch, newScratch, null);
            assertThat(to.asSlice(0, migrated.length).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(migrated);
            if (migration.plainCopies()) {
                // A swap's block of States: defaults in bulk (unless the copies write every byte),
                // then only the copies per State; each slot agrees too.
                int slots = 3, slotSize = Math.max(8, (migrated.length + 7) / 8 * 8);
                MemorySegment block = arena.allocate((long) slots * slotSize, 8);
                if (!migration.copiesCoverAll()) migration.fillDefaults(block, slotSize, slots);
                for (int k = 0; k < slots; k++) {
                    MemorySegment slot = block.asSlice((long) k * slotSize, slotSize);
                    assertThat(migration.copyInto(from.asSlice(0, oldBytes.length), slot)).isTrue();
                    assertThat(slot.asSlice(0, migrated.length).toArray(ValueLayout.JAVA_BYTE))
                            .as("seed %d, slot %d", seed, k).isEqualTo(migrated);
                }
            }
        }
        Object expected = model(oldValue, oldType, newType, newDefault);
        assertThat(StateValues.read(newType, migrated, 0))
                .as("seed %d: %s → %s", seed, oldType, newType).isEqualTo(expected);
    }

    // ---- the model: the rules of docs/reload.md on values -----------------------------------

    private static final Object INCOMPATIBLE = new Object();

    static Object model(Object v, StateType o, StateType n, Object d) {
        Object r = carry(v, o, n, d);
        return r == INCOMPATIBLE ? d : r;
    }

    @SuppressWarnings("unchecked")
    private static Object carry(Object v, StateType o, StateType n, Object d) {
        if (o.equals(n)) return v;
        if (isScalar(o) && isScalar(n)) return convert(v, n, d);
        if (o instanceof StateType.StructType os && n instanceof StateType.StructType ns) {
            Map<String, Object> out = new LinkedHashMap<>();
            Map<String, Object> old = (Map<String, Object>) v, defaults = (Map<String, Object>) d;
            for (StateType.Field f : ns.fields()) {
                StateType.Field was = os.field(f.name());
                out.put(f.name(), was == null ? defaults.get(f.name()) : model(old.get(f.name()), was.type(), f.type(), defaults.get(f.name())));
            }
            return out;
        }
        if (o instanceof StateType.ArrayType oa && n instanceof StateType.ArrayType na) {
            if (!compatible(oa.elem(), na.elem())) return INCOMPATIBLE;
            List<Object> old = (List<Object>) v, defaults = (List<Object>) d, out = new ArrayList<>();
            for (int k = 0; k < na.len(); k++) {
                out.add(k < oa.len() ? model(old.get(k), oa.elem(), na.elem(), defaults.get(k)) : defaults.get(k));
            }
            return out;
        }
        if (o instanceof StateType.EnumType oe && n instanceof StateType.EnumType ne) {
            if (v instanceof String name) return ne.tagNamed(name) != null ? name : d;
            long number = (Long) v;
            boolean fits = BigInteger.valueOf(number).compareTo(ScalarConversion.min(ne.tag())) >= 0
                    && BigInteger.valueOf(number).compareTo(ScalarConversion.max(ne.tag())) <= 0;
            return !ne.exhaustive() && fits && ne.tagOf(number) == null ? number : d;
        }
        boolean oOpt = o instanceof StateType.OptionalType, nOpt = n instanceof StateType.OptionalType;
        if (oOpt || nOpt) {
            StateType op = oOpt ? ((StateType.OptionalType) o).payload() : o;
            StateType np = nOpt ? ((StateType.OptionalType) n).payload() : n;
            if (!compatible(op, np)) return INCOMPATIBLE;
            if (v == null) return nOpt ? null : d;
            Object start = nOpt && d == null ? StateValues.read(np, new byte[np.size()], 0) : d;
            return model(v, op, np, start);
        }
        return INCOMPATIBLE;
    }

    private static boolean compatible(StateType o, StateType n) {
        if (o.equals(n) || isScalar(o) && isScalar(n)) return true;
        if (o instanceof StateType.StructType && n instanceof StateType.StructType) return true;
        if (o instanceof StateType.EnumType && n instanceof StateType.EnumType) return true;
        if (o instanceof StateType.ArrayType oa && n instanceof StateType.ArrayType na) return compatible(oa.elem(), na.elem());
        StateType op = o instanceof StateType.OptionalType oo ? oo.payload() : o;
        StateType np = n instanceof StateType.OptionalType no ? no.payload() : n;
        if (op != o || np != n) return compatible(op, np);
        return false;
    }

    private static boolean isScalar(StateType t) {
        return t instanceof StateType.BoolType || t instanceof StateType.IntType || t instanceof StateType.FloatType;
    }

    /** bool/int/float → n: integers saturate, floats round to nearest and saturate, NaN keeps d. */
    private static Object convert(Object v, StateType n, Object d) {
        boolean isFloat = v instanceof Double;
        double asDouble = v instanceof Boolean b ? (b ? 1 : 0) : isFloat ? (Double) v : big(v).doubleValue();
        BigInteger asInt = v instanceof Boolean b ? BigInteger.valueOf(b ? 1 : 0) : isFloat ? null : big(v);
        if (n instanceof StateType.BoolType) {
            if (isFloat && Double.isNaN(asDouble)) return d;
            return isFloat ? asDouble != 0 : asInt.signum() != 0;
        }
        if (n instanceof StateType.IntType i) {
            if (isFloat) {
                if (Double.isNaN(asDouble)) return d;
                if (Double.isInfinite(asDouble)) return narrow(asDouble > 0 ? ScalarConversion.max(i) : ScalarConversion.min(i));
                asInt = new BigDecimal(Math.rint(asDouble)).toBigInteger();
            }
            return narrow(asInt.max(ScalarConversion.min(i)).min(ScalarConversion.max(i)));
        }
        StateType.FloatType f = (StateType.FloatType) n;
        if (f.bits() == 64) return asDouble;
        double largest = f.bits() == 32 ? Float.MAX_VALUE : 65504;
        double clamped = Double.isFinite(asDouble) ? Math.max(-largest, Math.min(largest, asDouble)) : asDouble;
        return f.bits() == 32 ? (double) (float) clamped : (double) Float.float16ToFloat(Float.floatToFloat16((float) clamped));
    }

    private static BigInteger big(Object v) {
        return v instanceof BigInteger b ? b : BigInteger.valueOf((Long) v);
    }

    private static Object narrow(BigInteger v) {
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    // ---- random types, values and their bytes ------------------------------------------------

    static StateType.StructType struct(Random r, int depth, String name) {
        List<String> names = new ArrayList<>(List.of(NAMES));
        Collections.shuffle(names, r);
        List<Object[]> fields = new ArrayList<>();
        for (int k = 0, n = r.nextInt(5); k < n; k++) fields.add(new Object[] {names.get(k), type(r, depth + 1)});
        return layout(name, fields);
    }

    static StateType type(Random r, int depth) {
        int pick = r.nextInt(depth >= 3 ? 5 : 9);
        return switch (pick) {
            case 0 -> new StateType.BoolType();
            case 1, 2 -> integer(r);
            case 3 -> {
                int bits = new int[] {16, 32, 64}[r.nextInt(3)];
                yield new StateType.FloatType(bits, bits / 8);
            }
            case 4 -> r.nextBoolean() ? new StateType.EntityType() : enumeration(r);
            case 5 -> enumeration(r);
            case 6 -> struct(r, depth, "S" + r.nextInt(3));
            case 7 -> {
                StateType elem = type(r, depth + 1);
                int len = r.nextInt(4);
                yield new StateType.ArrayType(len, len * elem.size(), elem);
            }
            default -> optional(type(r, depth + 1));
        };
    }

    static StateType.IntType integer(Random r) {
        int bits = BITS[r.nextInt(BITS.length)];
        return new StateType.IntType(r.nextBoolean(), bits, Integer.highestOneBit(Math.max(1, (bits + 7) / 8) * 2 - 1));
    }

    static StateType.EnumType enumeration(Random r) {
        StateType.IntType tag = r.nextBoolean() ? new StateType.IntType(false, 8, 1) : new StateType.IntType(true, 16, 2);
        List<String> names = new ArrayList<>(List.of(TAGS));
        Collections.shuffle(names, r);
        List<StateType.Tag> tags = new ArrayList<>();
        long value = tag.signed() ? -3 : 0;
        for (int k = 0, n = 1 + r.nextInt(TAGS.length); k < n; k++) {
            tags.add(new StateType.Tag(names.get(k), value));
            value += 1 + r.nextInt(2);
        }
        return new StateType.EnumType("E", tag.size(), r.nextInt(3) > 0, tag, tags);
    }

    static StateType.OptionalType optional(StateType payload) {
        int align = align(payload);
        int size = (payload.size() + 1 + align - 1) / align * align;
        return new StateType.OptionalType(size, payload.size(), payload);
    }

    /** Fields laid out in order at their natural alignment, the struct padded to its alignment. */
    static StateType.StructType layout(String name, List<Object[]> fields) {
        List<StateType.Field> out = new ArrayList<>();
        int offset = 0, align = 1;
        for (Object[] f : fields) {
            StateType t = (StateType) f[1];
            int a = align(t);
            align = Math.max(align, a);
            offset = (offset + a - 1) / a * a;
            out.add(new StateType.Field((String) f[0], offset, t));
            offset += t.size();
        }
        return new StateType.StructType(name, (offset + align - 1) / align * align, out);
    }

    static int align(StateType t) {
        return switch (t) {
            case StateType.StructType s -> s.fields().stream().mapToInt(f -> align(f.type())).max().orElse(1);
            case StateType.ArrayType a -> align(a.elem());
            case StateType.OptionalType o -> align(o.payload());
            default -> Math.max(1, Math.min(8, t.size()));
        };
    }

    /** A new version of {@code t}: fields kept, retyped, removed, added and reordered. */
    static StateType.StructType mutate(Random r, StateType.StructType t) {
        List<Object[]> fields = new ArrayList<>();
        for (StateType.Field f : t.fields()) {
            int choice = r.nextInt(6);
            if (choice == 0) continue; // removed
            fields.add(new Object[] {f.name(), choice == 1 ? type(r, 2) : mutateType(r, f.type())});
        }
        if (r.nextInt(3) == 0) {
            String name = NAMES[r.nextInt(NAMES.length)];
            if (fields.stream().noneMatch(f -> f[0].equals(name))) fields.add(new Object[] {name, type(r, 2)});
        }
        Collections.shuffle(fields, r);
        return layout(t.name(), fields);
    }

    static StateType mutateType(Random r, StateType t) {
        if (r.nextBoolean()) return t;
        return switch (t) {
            case StateType.StructType s -> mutate(r, s);
            case StateType.IntType ignored -> r.nextBoolean() ? integer(r) : new StateType.FloatType(32, 4);
            case StateType.FloatType ignored -> integer(r);
            case StateType.EnumType ignored -> enumeration(r);
            case StateType.ArrayType a -> {
                StateType elem = mutateType(r, a.elem());
                int len = r.nextInt(5);
                yield new StateType.ArrayType(len, len * elem.size(), elem);
            }
            case StateType.OptionalType o -> r.nextBoolean() ? o.payload() : optional(mutateType(r, o.payload()));
            default -> r.nextBoolean() ? optional(t) : t;
        };
    }

    static Object value(Random r, StateType t) {
        return switch (t) {
            case StateType.BoolType ignored -> r.nextBoolean();
            case StateType.IntType i -> {
                BigInteger span = ScalarConversion.max(i).subtract(ScalarConversion.min(i));
                BigInteger v = r.nextInt(4) == 0 ? (r.nextBoolean() ? ScalarConversion.max(i) : ScalarConversion.min(i))
                        : ScalarConversion.min(i).add(new BigInteger(span.bitLength() + 1, r).mod(span.add(BigInteger.ONE)));
                yield narrow(v);
            }
            case StateType.FloatType f -> {
                double d = FLOATS[r.nextInt(FLOATS.length)];
                yield f.bits() == 64 ? d : f.bits() == 32 ? (double) (float) d
                        : (double) Float.float16ToFloat(Float.floatToFloat16((float) d));
            }
            case StateType.EntityType ignored -> r.nextLong();
            case StateType.EnumType e -> r.nextInt(5) == 0 && !e.exhaustive() ? (Object) 77L
                    : e.tags().get(r.nextInt(e.tags().size())).name();
            case StateType.StructType s -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (StateType.Field f : s.fields()) m.put(f.name(), value(r, f.type()));
                yield m;
            }
            case StateType.ArrayType a -> {
                List<Object> l = new ArrayList<>();
                for (int k = 0; k < a.len(); k++) l.add(value(r, a.elem()));
                yield l;
            }
            case StateType.OptionalType o -> r.nextInt(3) == 0 ? null : value(r, o.payload());
            case StateType.OpaqueType o -> new byte[o.size()];
            case StateType.ListType l -> new byte[l.size()]; // containers: ContainerModelTest
        };
    }

    @SuppressWarnings("unchecked")
    static void encode(StateType t, Object v, byte[] b, int at) {
        switch (t) {
            case StateType.BoolType ignored -> b[at] = (byte) ((Boolean) v ? 1 : 0);
            case StateType.IntType i -> ScalarConversion.writeInt(b, at, i, big(v));
            case StateType.FloatType f -> ScalarConversion.write(b, at, f, v);
            case StateType.EntityType ignored -> ScalarConversion.writeInt(b, at, new StateType.IntType(false, 64, 8),
                    new BigInteger(Long.toUnsignedString((Long) v)));
            case StateType.EnumType e -> ScalarConversion.writeInt(b, at, e.tag(),
                    BigInteger.valueOf(v instanceof String name ? e.tagNamed(name).value() : (Long) v));
            case StateType.StructType s -> {
                for (StateType.Field f : s.fields()) encode(f.type(), ((Map<String, Object>) v).get(f.name()), b, at + f.offset());
            }
            case StateType.ArrayType a -> {
                for (int k = 0; k < a.len(); k++) encode(a.elem(), ((List<Object>) v).get(k), b, at + k * a.elem().size());
            }
            case StateType.OptionalType o -> {
                b[at + o.flag()] = (byte) (v == null ? 0 : 1);
                if (v != null) encode(o.payload(), v, b, at);
            }
            case StateType.OpaqueType o -> System.arraycopy((byte[]) v, 0, b, at, o.size());
            case StateType.ListType l -> System.arraycopy((byte[]) v, 0, b, at, l.size());
        }
    }

    private static byte[] garbage(Random r, int size) {
        byte[] b = new byte[size];
        r.nextBytes(b);
        return b;
    }
}
