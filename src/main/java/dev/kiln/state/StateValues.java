package dev.kiln.state;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a State (or part of one) as plain Java values by its {@link StateType}: what the
 * inspector shows of nested State and what tests compare. bool → Boolean, integers → Long
 * (BigInteger beyond 64 bits or an unsigned 64-bit value past Long.MAX_VALUE), floats →
 * Double, entity → Long (the handle), enum → its tag name (or the number for an unnamed value),
 * struct → Map by field name in declaration order, array → List, optional → null or its
 * value, opaque → byte[], container → List of its elements (read from {@code store}; without a
 * store, or for a stale handle, the text {@code "kiln.List(T) #id"}).
 */
public final class StateValues {
    private StateValues() {}

    public static Object read(StateType type, byte[] bytes, int offset) {
        return read(type, bytes, offset, null);
    }

    public static Object read(StateType type, byte[] bytes, int offset, ContainerStore store) {
        return switch (type) {
            case StateType.BoolType ignored -> (bytes[offset] & 1) != 0;
            case StateType.IntType i -> narrow(ScalarConversion.readInt(bytes, offset, i));
            case StateType.FloatType f -> ScalarConversion.read(bytes, offset, f);
            case StateType.EntityType ignored ->
                    ScalarConversion.readInt(bytes, offset, new StateType.IntType(false, 64, 8)).longValue();
            case StateType.EnumType e -> {
                long value = ScalarConversion.readInt(bytes, offset, e.tag()).longValue();
                StateType.Tag tag = e.tagOf(value);
                yield tag == null ? (Object) value : tag.name();
            }
            case StateType.StructType s -> {
                Map<String, Object> fields = new LinkedHashMap<>();
                for (StateType.Field f : s.fields()) fields.put(f.name(), read(f.type(), bytes, offset + f.offset(), store));
                yield fields;
            }
            case StateType.ArrayType a -> {
                List<Object> elements = new ArrayList<>(a.len());
                for (int k = 0; k < a.len(); k++) elements.add(read(a.elem(), bytes, offset + k * a.elem().size(), store));
                yield elements;
            }
            case StateType.OptionalType o -> (bytes[offset + o.flag()] & 1) != 0 ? read(o.payload(), bytes, offset, store) : null;
            case StateType.OpaqueType o -> Arrays.copyOfRange(bytes, offset, offset + o.size());
            case StateType.ListType l -> container(l, handle(bytes, offset), store);
        };
    }

    private static Object container(StateType.ListType l, long handle, ContainerStore store) {
        if (ContainerStore.id(handle) == 0) return new ArrayList<>();
        byte[] data = store == null ? null : store.elements(handle, l.elem().size());
        if (data == null) return l.describe() + " #" + ContainerStore.id(handle);
        int n = data.length / l.elem().size();
        List<Object> elements = new ArrayList<>(n);
        for (int k = 0; k < n; k++) elements.add(read(l.elem(), data, k * l.elem().size(), null));
        return elements;
    }

    /** The 8 little-endian bytes of a kiln_handle at {@code offset}. */
    public static long handle(byte[] bytes, int offset) {
        long v = 0;
        for (int k = 7; k >= 0; k--) v = v << 8 | (bytes[offset + k] & 0xFF);
        return v;
    }

    private static Object narrow(BigInteger v) {
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }
}
