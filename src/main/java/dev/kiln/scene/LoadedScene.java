package dev.kiln.scene;

import dev.kiln.ecs.Entities;
import dev.kiln.script.PrefabCatalog;
import dev.kiln.script.ScriptLibrary;
import java.util.List;

/**
 * A scene running in an engine: {@code entities().get(i)} is the handle spawned for
 * {@code scene().entities().get(i)}; {@code libraries} are the scene's scripts, as loaded.
 */
public record LoadedScene(Scene scene, List<Long> entities, List<ScriptLibrary> libraries,
                          PrefabCatalog prefabs) {

    public LoadedScene {
        entities = List.copyOf(entities);
        libraries = List.copyOf(libraries);
    }

    /** The handle of the first scene entity named {@code name}, or NULL. */
    public long entity(String name) {
        for (int i = 0; i < entities.size(); i++) {
            if (name.equals(scene.entities().get(i).name())) return entities.get(i);
        }
        return Entities.NULL;
    }
}
