package dev.kiln.scene;

import dev.kiln.ecs.Entities;
import dev.kiln.ecs.Quat;
import dev.kiln.ecs.Vec3;
import dev.kiln.ecs.World;
import dev.kiln.script.PrefabCatalog;
import java.util.Map;

/**
 * The prefabs of a loaded scene, for scripts that spawn them by name. An instance gets the
 * prefab's tags, components, vars, velocity and scripts; entity fields of its components name
 * scene entities and are looked up by name when it is spawned (0 if that entity is gone).
 */
final class ScenePrefabs implements PrefabCatalog {
    private final Map<String, Scene.EntitySpec> prefabs;
    private final EntitySpawner spawner;
    private final World world;

    ScenePrefabs(Map<String, Scene.EntitySpec> prefabs, EntitySpawner spawner, World world) {
        this.prefabs = prefabs;
        this.spawner = spawner;
        this.world = world;
    }

    @Override
    public long instantiate(String name, Vec3 position, Quat rotation, Vec3 scale) {
        Scene.EntitySpec prefab = prefabs.get(name);
        if (prefab == null) return Entities.NULL;
        long entity = world.spawn(position, rotation, scale);
        if (entity == Entities.NULL) return Entities.NULL;
        spawner.fill(entity, prefab, world::findByName);
        spawner.attachScripts(entity, prefab);
        return entity;
    }

    @Override
    public boolean has(String name) {
        return prefabs.containsKey(name);
    }
}
