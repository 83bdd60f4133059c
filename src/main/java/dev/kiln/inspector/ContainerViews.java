package dev.kiln.inspector;

import dev.kiln.ecs.Entities;
import dev.kiln.loader.ContainerMemory;
import dev.kiln.loader.NativeHeap;
import dev.kiln.state.ContainerStore;
import dev.kiln.state.StateType;
import dev.kiln.state.StateTypeJson;
import dev.kiln.state.StateValues;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The containers of one instance's State as the inspector shows them: each kiln.List, kiln.String
 * and kiln.Map field by its path, with sizes and its first elements rendered through the element
 * type (numbers, enums by tag name, structs by field, entities as handles, strings as text).
 * Display only. Frame thread (it reads the container memory, an isolated host's by requests).
 */
final class ContainerViews {
    private ContainerViews() {}

    /** Elements of a list or entries of a map shown at most; the rest is counted ("… and M more"). */
    static final int ELEMENTS_SHOWN = 20;
    /** Bytes of a kiln.String shown at most. */
    static final int TEXT_BYTES_SHOWN = 200;

    /** Every container field of {@code state} (a value of {@code type}), in State order. */
    static List<Snapshot.ContainerView> of(StateType.StructType type, byte[] state, ContainerMemory memory) {
        List<Snapshot.ContainerView> out = new ArrayList<>();
        walk(type, state, 0, "", memory, out);
        return out;
    }

    private static void walk(StateType type, byte[] state, int at, String path, ContainerMemory memory,
                             List<Snapshot.ContainerView> out) {
        switch (type) {
            case StateType.ListType l -> out.add(view(path, l, StateValues.handle(state, at), memory, false));
            case StateType.StructType s when isMap(s) -> {
                StateType.Field entries = s.fields().getFirst();
                Snapshot.ContainerView v = view(path, (StateType.ListType) entries.type(),
                        StateValues.handle(state, at + entries.offset()), memory, true);
                out.add(v.plusBytes(indexBytes(s, state, at, memory)));
            }
            case StateType.StructType s -> {
                for (StateType.Field f : s.fields()) {
                    walk(f.type(), state, at + f.offset(), path.isEmpty() ? f.name() : path + "." + f.name(), memory, out);
                }
            }
            case StateType.ArrayType a -> {
                if (!StateTypeJson.containsList(a.elem())) return;
                for (int k = 0; k < a.len(); k++) walk(a.elem(), state, at + k * a.elem().size(), path + "[" + k + "]", memory, out);
            }
            case StateType.OptionalType o -> {
                if ((state[at + o.flag()] & 1) != 0) walk(o.payload(), state, at, path, memory, out);
            }
            default -> { }
        }
    }

    /**
     * A kiln.Map(K, V): the SDK's struct whose first field, {@code entries}, is the list of
     * {key, value} entries (the rest is its hash index, not shown).
     */
    static boolean isMap(StateType.StructType s) {
        return s.name().startsWith("containers.Map(") && !s.fields().isEmpty()
                && s.fields().getFirst().name().equals("entries")
                && s.fields().getFirst().type() instanceof StateType.ListType l
                && l.elem() instanceof StateType.StructType e && e.fields().size() == 2
                && e.fields().get(0).name().equals("key") && e.fields().get(1).name().equals("value");
    }

    /** Bytes of a map's other containers (its hash index): counted with the map. */
    private static long indexBytes(StateType.StructType map, byte[] state, int at, ContainerMemory memory) {
        long bytes = 0;
        for (StateType.Field f : map.fields().subList(1, map.fields().size())) {
            if (!(f.type() instanceof StateType.ListType) || memory == null) continue;
            long h = StateValues.handle(state, at + f.offset());
            NativeHeap.Block b = ContainerStore.id(h) == 0 ? null : memory.block(h);
            if (b != null) bytes += (long) b.capacity() * b.elemSize();
        }
        return bytes;
    }

    private static Snapshot.ContainerView view(String path, StateType.ListType l, long handle, ContainerMemory memory,
                                               boolean map) {
        StateType elem = l.elem();
        boolean text = !map && elem instanceof StateType.IntType i && i.bits() == 8 && !i.signed();
        String kind = map ? "map" : text ? "string" : "list";
        String typeName = map ? "kiln.Map(" + ((StateType.StructType) elem).fields().get(0).type().describe() + ", "
                + ((StateType.StructType) elem).fields().get(1).type().describe() + ")" : l.describe();
        NativeHeap.Block b = ContainerStore.id(handle) == 0 || memory == null ? null : memory.block(handle);
        if (b == null) return new Snapshot.ContainerView(path, kind, typeName, 0, 0, elem.size(), 0, text ? "" : List.of(), 0);
        int shown = Math.min(b.len(), text ? TEXT_BYTES_SHOWN : ELEMENTS_SHOWN);
        byte[] data = memory.elements(handle, elem.size(), shown);
        long bytes = (long) b.capacity() * b.elemSize();
        if (data == null) return new Snapshot.ContainerView(path, kind, typeName, b.len(), b.capacity(), b.elemSize(), bytes, null, b.len());
        int n = data.length / elem.size();
        Object elements;
        if (text) {
            elements = new String(data, 0, n, StandardCharsets.UTF_8);
        } else {
            List<Object> list = new ArrayList<>(n);
            for (int k = 0; k < n; k++) list.add(render(elem, data, k * elem.size()));
            elements = list;
        }
        return new Snapshot.ContainerView(path, kind, typeName, b.len(), b.capacity(), b.elemSize(), bytes, elements, b.len() - n);
    }

    /** One value for JSON: entities as "3v1", structs by field, arrays as lists, the rest as StateValues reads it. */
    private static Object render(StateType type, byte[] data, int at) {
        return switch (type) {
            case StateType.EntityType ignored -> Entities.format(StateValues.handle(data, at));
            case StateType.StructType s -> {
                Map<String, Object> fields = new LinkedHashMap<>();
                for (StateType.Field f : s.fields()) fields.put(f.name(), render(f.type(), data, at + f.offset()));
                yield fields;
            }
            case StateType.ArrayType a -> {
                List<Object> items = new ArrayList<>(a.len());
                for (int k = 0; k < a.len(); k++) items.add(render(a.elem(), data, at + k * a.elem().size()));
                yield items;
            }
            default -> StateValues.read(type, data, at);
        };
    }
}
