package dev.kiln.replay;

import dev.kiln.ecs.WorldKeyframe;
import dev.kiln.engine.Engine;
import dev.kiln.script.InstanceTableImage;
import dev.kiln.script.ScriptRuntime;
import java.nio.file.Path;
import java.util.Map;

/**
 * An engine at one frame boundary, kept so a rewind restores it instead of re-simulating from
 * the scene's start: the world's tables (the world's own export, {@link WorldKeyframe}), the
 * scripts' instance table with every State slab copied whole and the containers of States that
 * hold them ({@link InstanceTableImage}), the physics-driven flags, and the frame clock.
 *
 * <p>A restore re-creates the instance table as it was (instances attached since dropped,
 * detached ones back, ids and attach order as they were), so it applies to any engine that has
 * the keyframe's scripts loaded with the same State layouts; with the same library files, or
 * after swapping back to them ({@link #libraries}). Taken only at a quiet boundary
 * ({@link ScriptRuntime#quietForKeyframe}). Frame thread, between frames.
 */
final class Keyframe {
    final long frame;
    private final double time;
    private final WorldKeyframe world;
    private final InstanceTableImage instances;
    /** The physics-driven entities ({@link ScriptRuntime#physicsDrivenEntities}). */
    private final long[] physicsDriven;
    /** Heap bytes held besides {@link #shared()}, roughly (the keyframe ring's budget counts these). */
    final long bytes;

    private Keyframe(long frame, double time, WorldKeyframe world, InstanceTableImage instances, long[] physicsDriven) {
        this.frame = frame;
        this.time = time;
        this.world = world;
        this.instances = instances;
        this.physicsDriven = physicsDriven;
        this.bytes = world.footprintBytes() + instances.ownBytes() + 8L * physicsDriven.length;
    }

    /** What this keyframe may share with others (the instance rows while the table is unchanged): counted once by the ring. */
    Object shared() {
        return instances.shared();
    }

    /** Heap bytes of {@link #shared()}, roughly. */
    long sharedBytes() {
        return instances.sharedBytes();
    }

    /** {@code engine} now; null when the boundary is not quiet (see the class comment). */
    static Keyframe take(Engine engine) {
        InstanceTableImage instances = engine.scripts().exportInstances();
        if (instances == null) return null;
        return new Keyframe(engine.frameIndex(), engine.time(), engine.world().exportKeyframe(), instances,
                engine.scripts().physicsDrivenEntities());
    }

    /**
     * True when {@code engine} has this keyframe's scripts loaded with the same State layouts;
     * with {@code sameCode} also from the same files ({@link #libraries} says what to swap back
     * to first when not).
     */
    boolean restorableInto(Engine engine, boolean sameCode) {
        return instances.restorableInto(engine.scripts(), sameCode);
    }

    /** The library file each loaded script ran when this keyframe was taken. */
    Map<String, Path> libraries() {
        return instances.libraryFiles();
    }

    /**
     * Puts the world, the instance table with every State, the physics-driven flags and the
     * frame clock back as they were. Call only when {@link #restorableInto} said so (with the same code).
     */
    void restoreInto(Engine engine) {
        engine.world().importKeyframe(world);
        engine.scripts().importInstances(instances);
        engine.scripts().restorePhysicsDriven(physicsDriven);
        engine.rewindClock(frame, time);
    }
}
