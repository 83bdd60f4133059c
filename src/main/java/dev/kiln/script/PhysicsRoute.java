package dev.kiln.script;

import dev.kiln.ecs.World;
import java.util.HashSet;
import java.util.Set;

/**
 * Which entities are physics-driven and who gets their transform requests. The flag is set
 * from Java only (not a tag: a script must not be able to take its entity off the route), and
 * kept by handle, so a despawned entity's flag never applies to the next entity in its slot.
 */
final class PhysicsRoute {
    private final World world;
    private final Set<Long> driven = new HashSet<>();
    private PhysicsHandler handler;

    PhysicsRoute(World world) {
        this.world = world;
    }

    void setHandler(PhysicsHandler handler) {
        this.handler = handler;
    }

    void setDriven(long entity, boolean on) {
        driven.removeIf(h -> !world.isAlive(h)); // flags of despawned entities: forget them here
        if (on && world.isAlive(entity)) driven.add(entity);
        else driven.remove(entity);
    }

    /** Alive and flagged: a despawned entity's flag is over even before setDriven forgets it. */
    boolean isDriven(long entity) {
        return driven.contains(entity) && world.isAlive(entity);
    }

    /** The live flagged entities, by ascending handle (a keyframe's copy: the same order every run). */
    long[] drivenEntities() {
        return driven.stream().filter(world::isAlive).mapToLong(Long::longValue).sorted().toArray();
    }

    /** Exactly {@code entities} flagged (a keyframe's restore, after the world's). */
    void restoreDriven(long[] entities) {
        driven.clear();
        for (long e : entities) driven.add(e);
    }

    /** True when some entity's transform requests go to a handler (the native apply path steps aside). */
    boolean active() {
        return handler != null && !driven.isEmpty();
    }

    /** The handler when {@code entity}'s transform requests go to it, else null (apply them). */
    PhysicsHandler routeOf(long entity) {
        if (handler == null || driven.isEmpty()) return null; // the common case: no lookup
        return driven.contains(entity) ? handler : null;
    }
}
