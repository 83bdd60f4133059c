package dev.kiln.scene;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names of the scene's entities, gathered before anything else is parsed so that entity
 * fields of components (in prefabs too) can name any entity, wherever it is written.
 * Names need not be unique, but a reference to a name several entities share is ambiguous.
 */
final class EntityNames {
    private final Map<String, Integer> counts = new HashMap<>();

    /** Collects the "name" strings of {@code entities}; shape errors are left to the full parse. */
    static EntityNames of(List<SceneValue> entities) {
        EntityNames names = new EntityNames();
        for (SceneValue e : entities) {
            if (e.node() instanceof JsonNode.Obj obj && obj.members().get("name") != null
                    && obj.members().get("name").value() instanceof JsonNode.Str s) {
                names.counts.merge(s.value(), 1, Integer::sum);
            }
        }
        return names;
    }

    /** The entity name written at {@code v}, which must name exactly one entity of the scene. */
    String reference(SceneValue v) throws SceneException {
        if (!(v.node() instanceof JsonNode.Str)) {
            throw v.expected("the name of an entity of this scene, or null");
        }
        String name = v.string();
        int count = counts.getOrDefault(name, 0);
        if (count == 0) throw v.fail("no entity named '" + name + "' in this scene");
        if (count > 1) throw v.fail("ambiguous: " + count + " entities are named '" + name + "'");
        return name;
    }
}
