package dev.kiln.scene;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names of the scene's entities, gathered before anything else is parsed so that entity
 * fields of components (in prefabs too) can name any entity, wherever it is written. Names
 * are unique: logs, fault reports and the inspector show an entity by its name, and a name
 * two entities share would point at either.
 */
final class EntityNames {
    private final Map<String, SceneLocation> written = new HashMap<>();

    /**
     * Collects the "name" strings of {@code entities}; a name written twice is refused at its
     * second place, naming the first. Other shape errors are left to the full parse.
     */
    static EntityNames of(List<SceneValue> entities) throws SceneException {
        EntityNames names = new EntityNames();
        for (SceneValue e : entities) {
            if (!(e.node() instanceof JsonNode.Obj)) continue;
            SceneValue n = e.get("name");
            if (n == null || !(n.node() instanceof JsonNode.Str s)) continue;
            SceneLocation first = names.written.putIfAbsent(s.value(), n.location());
            if (first != null) {
                throw n.fail("duplicate entity name '" + s.value() + "', already the name of " + first.field()
                        + " at " + first.file() + ":" + first.line() + ":" + first.column()
                        + "; give each entity its own name (logs and references show it)");
            }
        }
        return names;
    }

    /** The entity name written at {@code v}, which must name an entity of the scene. */
    String reference(SceneValue v) throws SceneException {
        if (!(v.node() instanceof JsonNode.Str)) {
            throw v.expected("the name of an entity of this scene, or null");
        }
        String name = v.string();
        if (!written.containsKey(name)) throw v.fail("no entity named '" + name + "' in this scene");
        return name;
    }
}
