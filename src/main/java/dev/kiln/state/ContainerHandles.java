package dev.kiln.state;

import java.util.HashSet;
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

    private static void collect(StateType type, byte[] state, int at, Set<Integer> out) {
        switch (type) {
            case StateType.ListType ignored -> {
                int id = ContainerStore.id(StateValues.handle(state, at));
                if (id != 0) out.add(id);
            }
            case StateType.StructType s -> {
                for (StateType.Field f : s.fields()) collect(f.type(), state, at + f.offset(), out);
            }
            case StateType.ArrayType a -> {
                if (!StateTypeJson.containsList(a.elem())) return;
                for (int k = 0; k < a.len(); k++) collect(a.elem(), state, at + k * a.elem().size(), out);
            }
            case StateType.OptionalType o -> {
                if ((state[at + o.flag()] & 1) != 0) collect(o.payload(), state, at, out);
            }
            default -> { }
        }
    }
}
