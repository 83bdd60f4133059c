package dev.kiln.script;

import dev.kiln.ecs.Quat;
import dev.kiln.ecs.Vec3;

/** Instantiates named prefabs for spawn requests; the scene loader provides one. */
public interface PrefabCatalog {
    /** Spawns prefab {@code name}; returns the handle, or NULL when there is no such prefab. */
    long instantiate(String name, Vec3 position, Quat rotation, Vec3 scale);

    boolean has(String name);

    PrefabCatalog NONE = new PrefabCatalog() {
        public long instantiate(String name, Vec3 position, Quat rotation, Vec3 scale) {
            return 0;
        }

        public boolean has(String name) {
            return false;
        }
    };
}
