package dev.kiln.replay;

import dev.kiln.ecs.WorldKeyframe;
import dev.kiln.engine.Engine;
import dev.kiln.script.ScriptInstance;
import dev.kiln.script.ScriptRuntime;
import dev.kiln.script.StateCapture;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A replay engine at one frame boundary, kept so a rewind restores it instead of re-simulating
 * from the scene's start: the world's tables (the world's own export, {@link WorldKeyframe}) and
 * per instance its script, library file, entity, enabled flag, priority, signal connections and
 * State with its containers' contents ({@link ScriptRuntime#captureState}).
 *
 * <p>Instances are not re-created by a restore: it needs the engine to hold exactly the keyframe's
 * instances, running the same library files, with nothing attached since
 * ({@link ScriptRuntime#attachCount}), and the same signal connections; otherwise
 * {@link #restorableInto} is false and the caller re-simulates from the start. Taken only at a
 * quiet boundary ({@link ScriptRuntime#quietForKeyframe}). Frame thread, between frames.
 */
final class Keyframe {
    /** One instance as the keyframe holds it. */
    private record Instance(String script, Path library, long entity, boolean enabled, int priority,
                            long[] connections, StateCapture state) {}

    final long frame;
    private final double time;
    private final long attachCount;
    private final WorldKeyframe world;
    private final Map<Integer, Instance> instances;
    /** Heap bytes held, roughly (the keyframe ring's budget counts these). */
    final long bytes;

    private Keyframe(long frame, double time, long attachCount, WorldKeyframe world, Map<Integer, Instance> instances, long bytes) {
        this.frame = frame;
        this.time = time;
        this.attachCount = attachCount;
        this.world = world;
        this.instances = instances;
        this.bytes = bytes;
    }

    /** Bytes an instance's entry costs besides its State and container bytes (objects, map node). */
    private static final long INSTANCE_OVERHEAD_BYTES = 200;

    /** {@code engine} now; null when the boundary is not quiet (see the class comment). */
    static Keyframe take(Engine engine) {
        ScriptRuntime scripts = engine.scripts();
        if (!scripts.quietForKeyframe()) return null;
        WorldKeyframe world = engine.world().exportKeyframe();
        Map<Integer, Instance> instances = new HashMap<>();
        long bytes = world.footprintBytes();
        for (ScriptInstance i : scripts.instances()) {
            StateCapture state = i.state() == null ? null : scripts.captureState(i);
            instances.put(i.id(), new Instance(i.scriptName(), i.library().libraryPath(), i.entity(), i.enabled(), i.priority(),
                    scripts.signalConnectionIds(i), state));
            bytes += INSTANCE_OVERHEAD_BYTES;
            if (state != null) {
                bytes += state.stateType().size();
                for (StateCapture.Container c : state.containers()) bytes += 32 + c.elements().length;
            }
        }
        return new Keyframe(engine.frameIndex(), engine.time(), scripts.attachCount(), world, instances, bytes);
    }

    /**
     * True when {@code engine} holds this keyframe's instances, code and connections (see the
     * class comment); with {@code sameCode} false the code may differ ({@link #libraries} says
     * what to swap back to first).
     */
    boolean restorableInto(Engine engine, boolean sameCode) {
        ScriptRuntime scripts = engine.scripts();
        if (scripts.attachCount() != attachCount || scripts.instances().size() != instances.size()) return false;
        for (ScriptInstance i : scripts.instances()) {
            Instance k = instances.get(i.id());
            if (k == null || !k.script().equals(i.scriptName()) || (sameCode && !k.library().equals(i.library().libraryPath()))
                    || k.entity() != i.entity() || (k.state() == null) != (i.state() == null)
                    || !Arrays.equals(k.connections(), scripts.signalConnectionIds(i))) {
                return false;
            }
        }
        return true;
    }

    /** The library file each attached script ran when this keyframe was taken. */
    Map<String, Path> libraries() {
        Map<String, Path> files = new HashMap<>();
        for (Instance i : instances.values()) files.put(i.script(), i.library());
        return files;
    }

    /**
     * Puts the world, every State, enabled flag and priority and the frame clock back as they
     * were. Call only when {@link #restorableInto} said so (with the same code).
     */
    void restoreInto(Engine engine) {
        ScriptRuntime scripts = engine.scripts();
        engine.world().importKeyframe(world);
        for (ScriptInstance i : scripts.instances()) {
            Instance k = instances.get(i.id());
            if (i.enabled() != k.enabled()) scripts.setEnabled(i, k.enabled());
            if (i.priority() != k.priority()) scripts.setPriority(i, k.priority());
            if (k.state() != null) scripts.restoreState(i, k.state());
        }
        scripts.forgetSpawnResults(); // the keyframe's boundary kept none (it was quiet)
        engine.rewindClock(frame, time);
    }
}
