package dev.kiln.state;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The container handles a State holds (kiln.List, kiln.String, kiln.Map fields, in nested
 * structs, arrays and present optionals): after a hot reload the engine frees every block of the
 * instance that its new State no longer names (a removed field, a reset container).
 */
public final class ContainerHandles {
    private ContainerHandles() {}

    /** The ids of the non-empty handles in {@code state}, a value of {@code type}. */
    public static Set<Integer> ids(StateType type, byte[] state) {
        Set<Integer> out = new HashSet<>();
        collect(type, state, 0, out);
        return out;
    }

    /** Each non-empty handle's id → the field that holds it ("targets", "cache.names[2]"), in State order. */
    public static Map<Integer, String> paths(StateType.StructType type, byte[] state) {
        Map<Integer, String> out = new LinkedHashMap<>();
        collect(type, state, 0, "", (at, list, path, id) -> out.putIfAbsent(id, path));
        return out;
    }

    /** Where a non-empty handle sits in a State: its byte offset and the container's type. */
    public record Slot(int offset, StateType.ListType type) {}

    /** Every non-empty handle of {@code state} with its offset, in State order. */
    public static List<Slot> slots(StateType type, byte[] state) {
        List<Slot> out = new ArrayList<>();
        collect(type, state, 0, "", (at, list, path, id) -> out.add(new Slot(at, list)));
        return out;
    }

    private interface Found {
        void handle(int at, StateType.ListType list, String path, int id);
    }

    /** Zeroes every container handle in {@code state}: each container reads as empty. */
    public static void clear(StateType type, byte[] state) {
        clear(type, state, 0);
    }

    private static void clear(StateType type, byte[] state, int at) {
        switch (type) {
            case StateType.ListType l -> Arrays.fill(state, at, at + l.size(), (byte) 0);
            case StateType.StructType s -> {
                for (StateType.Field f : s.fields()) clear(f.type(), state, at + f.offset());
            }
            case StateType.ArrayType a -> {
                if (!StateTypeJson.containsList(a.elem())) return;
                for (int k = 0; k < a.len(); k++) clear(a.elem(), state, at + k * a.elem().size());
            }
            case StateType.OptionalType o -> {
                if ((state[at + o.flag()] & 1) != 0) clear(o.payload(), state, at);
            }
            default -> { }
        }
    }

    private static void collect(StateType type, byte[] state, int at, Set<Integer> out) {
        collect(type, state, at, "", (offset, list, path, id) -> out.add(id));
    }

    private static void collect(StateType type, byte[] state, int at, String path,
                                Found found) {
        switch (type) {
            case StateType.ListType list -> {
                int id = ContainerStore.id(StateValues.handle(state, at));
                if (id != 0) found.handle(at, list, path, id);
            }
            case StateType.StructType s -> {
                for (StateType.Field f : s.fields()) {
                    collect(f.type(), state, at + f.offset(), path.isEmpty() ? f.name() : path + "." + f.name(), found);
                }
            }
            case StateType.ArrayType a -> {
                if (!StateTypeJson.containsList(a.elem())) return;
                for (int k = 0; k < a.len(); k++) collect(a.elem(), state, at + k * a.elem().size(), path + "[" + k + "]", found);
            }
            case StateType.OptionalType o -> {
                if ((state[at + o.flag()] & 1) != 0) collect(o.payload(), state, at, path, found);
            }
            default -> { }
        }
    }
}
