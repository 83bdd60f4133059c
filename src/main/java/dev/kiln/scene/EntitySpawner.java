package dev.kiln.scene;

import dev.kiln.ecs.Entities;
import dev.kiln.ecs.Status;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.World;
import dev.kiln.script.ScriptRuntime;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Puts a scene entity (or a prefab's body) onto a spawned entity: velocity, tags, components,
 * vars, then its scripts. Shared by the scene loader and the prefab catalog, so an entity and
 * a prefab instance are made the same way.
 */
final class EntitySpawner {
    private final World world;
    private final ScriptRuntime runtime;

    EntitySpawner(World world, ScriptRuntime runtime) {
        this.world = world;
        this.runtime = runtime;
    }

    /**
     * Everything but the scripts. Entity fields of components get {@code handleOf(name)}.
     * The scene was validated, so a refusal here is a bug, reported as such.
     */
    void fill(long entity, Scene.EntitySpec spec, ToLongFunction<String> handleOf) {
        check(world.setVelocity(entity, spec.velocity()), entity, "velocity");
        for (String tag : spec.tags()) check(world.addTag(entity, tag), entity, "tag '" + tag + "'");
        for (Map.Entry<String, ComponentValue> c : spec.components().entrySet()) {
            ComponentValue value = c.getValue();
            check(world.addComponent(entity, value.schema().typeHash(), value.resolve(handleOf)), entity,
                    "component '" + c.getKey() + "'");
        }
        for (Map.Entry<String, VarValue> v : spec.vars().entrySet()) {
            check(world.setVar(entity, v.getKey(), v.getValue()), entity, "var '" + v.getKey() + "'");
        }
    }

    /** Attaches the spec's scripts; their inits run at the runtime's next lifecycle flush or phase. */
    void attachScripts(long entity, Scene.EntitySpec spec) {
        for (Scene.Attachment a : spec.scripts()) runtime.attach(entity, a.script(), a.priority(), a.phase());
    }

    private static void check(Status status, long entity, String what) {
        if (!status.ok()) {
            throw new IllegalStateException("setting " + what + " on entity " + Entities.format(entity)
                    + " was refused (" + status + ") although the scene validated");
        }
    }
}
