package dev.kiln.ecs;

/**
 * How a person reads an entity: its handle with its scene name beside it, {@code 1v1 (rocket)},
 * or the handle alone for an entity without a name (a prefab instance, one a script spawned).
 * Handles say which instance; names say which thing in the scene the user wrote.
 */
public final class EntityLabel {
    private EntityLabel() {}

    public static String of(long handle, String name) {
        String h = Entities.format(handle);
        return name == null || name.isEmpty() ? h : h + " (" + name + ")";
    }

    /** The label of {@code handle} with the name the world has for it (none once despawned). */
    public static String of(World world, long handle) {
        return of(handle, world.name(handle));
    }
}
