package dev.kiln.scene;

import java.util.Collection;
import java.util.List;

/** Lists of alternatives in problem messages: "pre_update, update or post_update". */
final class Words {
    private Words() {}

    static String oneOf(Collection<String> choices) {
        List<String> list = List.copyOf(choices);
        if (list.isEmpty()) return "none (nothing is declared)";
        if (list.size() == 1) return list.getFirst();
        return String.join(", ", list.subList(0, list.size() - 1)) + " or " + list.getLast();
    }
}
