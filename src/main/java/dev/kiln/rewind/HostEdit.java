package dev.kiln.rewind;

import dev.kiln.abi.Layouts;
import dev.kiln.ecs.ComponentPolicy;
import dev.kiln.ecs.ComponentSchema;
import dev.kiln.ecs.Entities;
import dev.kiln.ecs.FieldType;
import dev.kiln.ecs.Quat;
import dev.kiln.ecs.Status;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.Vec3;
import dev.kiln.ecs.World;
import dev.kiln.script.Phase;
import dev.kiln.script.ScriptInstance;
import dev.kiln.script.ScriptRuntime;
import dev.kiln.script.StateFields;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A change made to a running engine from outside its scripts (an inspector edit, a game's input
 * written through dev.kiln.embed, the embedding's own setup before a scene, a write a game made
 * to the world between steps, one a physics handler made inside a barrier) that a replay
 * must make again at the same point: recorded by {@link Recorder#noteEdit} (a world write by
 * {@link HostWrites}), applied by {@code dev.kiln.replay.Replay} before the frame (a physics
 * handler's by {@link RecordedPhysics}), written to a recording file as {@link #encode()}'s fields.
 * Entities are named by handle and instances by id: a replay that reproduced the run so far
 * has the same ones.
 */
public sealed interface HostEdit {
    /**
     * Makes the change in {@code world} and {@code scripts} between frames; null when made, else
     * why not (the entity or instance is gone: the replay has already left the recording).
     */
    String apply(World world, ScriptRuntime scripts);

    /** The fields of an "edit" line: the kind first; the last field may hold spaces. */
    String encode();

    /** Heap bytes this edit holds, roughly: what a recording's budget counts for it. */
    default long footprintBytes() {
        return 64 + 2L * encode().length();
    }

    /**
     * True when making this edit again on an engine that has it already changes nothing (a
     * value set, a tag added): a live keyframe may be taken after such an edit and before the
     * frame that records it. False for a spawn, despawn, attach, detach or signal, which would
     * happen twice.
     */
    default boolean repeatable() {
        return false;
    }

    /** An edit that sets a value (or adds what may be there already): {@link #repeatable}. */
    sealed interface Repeatable extends HostEdit {
        @Override
        default boolean repeatable() {
            return true;
        }
    }

    /** A State field set from text, as the inspector parses it. */
    record StateField(int instance, String field, String text) implements Repeatable {
        public String apply(World world, ScriptRuntime scripts) {
            ScriptInstance i = scripts.instance(instance);
            return i == null ? "no instance " + instance : StateFields.write(i, field, text);
        }

        public String encode() {
            return "state " + instance + " " + field + " " + text;
        }
    }

    /** A ScriptVars entry set. */
    record Var(long entity, String key, VarValue value) implements Repeatable {
        public String apply(World world, ScriptRuntime scripts) {
            return status(world.setVar(entity, key, value));
        }

        public String encode() {
            String v = switch (value) {
                case VarValue.F64 f -> "f64 " + Long.toHexString(Double.doubleToRawLongBits(f.value()));
                case VarValue.I64 i -> "i64 " + i.value();
                case VarValue.Bool b -> "bool " + b.value();
                case VarValue.V3 p -> "vec3 " + floatBits(p.value().x()) + " " + floatBits(p.value().y()) + " "
                        + floatBits(p.value().z());
            };
            return "var " + entity + " " + v + " " + key; // the key last: it may hold spaces
        }
    }

    /** A component's whole row written (a field edit writes the row with that field changed). */
    record Component(long entity, long typeHash, byte[] row) implements Repeatable {
        public String apply(World world, ScriptRuntime scripts) {
            return status(world.addComponent(entity, typeHash, row));
        }

        public String encode() {
            return "component " + entity + " " + Long.toHexString(typeHash) + " " + HexFormat.of().formatHex(row);
        }

        /** The row's bytes and the record: counted without encoding (a game's input writes one most frames). */
        @Override
        public long footprintBytes() {
            return 64 + row.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Component c && c.entity == entity && c.typeHash == typeHash && Arrays.equals(c.row, row);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(entity) * 31 + Arrays.hashCode(row);
        }
    }

    /** A script attached ({@code phase} null: the script's default). */
    record Attach(long entity, String script, int priority, Phase phase) implements HostEdit {
        public String apply(World world, ScriptRuntime scripts) {
            if (!world.isAlive(entity)) return "entity " + Entities.format(entity) + " is not alive";
            if (scripts.library(script) == null) return "no script '" + script + "' is loaded";
            scripts.attach(entity, script, priority, phase);
            return null;
        }

        public String encode() {
            return "attach " + entity + " " + priority + " " + (phase == null ? "-" : phase.name()) + " " + script;
        }
    }

    /** An instance detached. */
    record Detach(int instance) implements HostEdit {
        public String apply(World world, ScriptRuntime scripts) {
            return onInstance(scripts, instance, scripts::detach);
        }

        public String encode() {
            return "detach " + instance;
        }
    }

    /** An instance enabled or disabled. */
    record Enabled(int instance, boolean enabled) implements Repeatable {
        public String apply(World world, ScriptRuntime scripts) {
            return onInstance(scripts, instance, i -> scripts.setEnabled(i, enabled));
        }

        public String encode() {
            return "enabled " + instance + " " + enabled;
        }
    }

    /** An instance's priority changed. */
    record Priority(int instance, int priority) implements Repeatable {
        public String apply(World world, ScriptRuntime scripts) {
            return onInstance(scripts, instance, i -> scripts.setPriority(i, priority));
        }

        public String encode() {
            return "priority " + instance + " " + priority;
        }
    }

    /**
     * An entity spawned by the host (the embedding's input entity, made before the scene loads),
     * named {@code name} (null: none). A replay must spawn the same handle: otherwise it has
     * already left the recording, and says so.
     */
    record Spawn(long entity, String name) implements HostEdit {
        public String apply(World world, ScriptRuntime scripts) {
            long spawned = world.spawn();
            if (spawned != entity) {
                return "spawned entity " + Entities.format(spawned) + " where the recording spawned " + Entities.format(entity);
            }
            return name == null ? null : status(world.setName(entity, name));
        }

        public String encode() {
            return "spawn " + entity + (name == null ? "" : " " + name); // the name last: it may hold spaces
        }
    }

    /**
     * An entity spawned by a game through the embedding API at {@code (x, y, z)} (identity
     * rotation, unit scale). A replay must spawn the same handle, as for {@link Spawn}.
     */
    record SpawnAt(long entity, float x, float y, float z) implements HostEdit {
        public String apply(World world, ScriptRuntime scripts) {
            long spawned = world.spawn(x, y, z, 0, 0, 0, 1, 1, 1, 1);
            return spawned == entity ? null
                    : "spawned entity " + Entities.format(spawned) + " where the recording spawned " + Entities.format(entity);
        }

        public String encode() {
            return "spawn_at " + entity + " " + floatBits(x) + " " + floatBits(y) + " " + floatBits(z);
        }
    }

    /** An entity despawned by the host (its scripts detached, their shutdown at the next barrier). */
    record Despawn(long entity) implements HostEdit {
        public String apply(World world, ScriptRuntime scripts) {
            return status(scripts.despawn(entity));
        }

        public String encode() {
            return "despawn " + entity;
        }
    }

    /**
     * A signal sent by the host ({@code target} NULL: to every connected script), delivered at
     * the next barrier as a script's; {@code payload} at most {@link dev.kiln.abi.Layouts#SIGNAL_PAYLOAD_MAX} bytes.
     */
    record Signal(long target, byte[] payload, String name) implements HostEdit {
        public String apply(World world, ScriptRuntime scripts) {
            return status(scripts.emitFromHost(name, payload, target));
        }

        public String encode() {
            return "signal " + target + " " + (payload.length == 0 ? "-" : HexFormat.of().formatHex(payload)) + " " + name;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Signal g && g.target == target && Arrays.equals(g.payload, payload) && g.name.equals(name);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(target) * 31 + name.hashCode();
        }
    }

    /** A tag added by the host. */
    record Tag(long entity, String tag) implements Repeatable {
        public String apply(World world, ScriptRuntime scripts) {
            return status(world.addTag(entity, tag));
        }

        public String encode() {
            return "tag " + entity + " " + tag;
        }
    }

    /**
     * An entity spawned directly on the world (a game's {@code world().spawn(...)}) with the row
     * as stored: written back as it is (not normalised again), so the bits are the same. A replay
     * must spawn the same handle, as for {@link Spawn}.
     */
    record SpawnRow(long entity, Vec3 position, Quat rotation, Vec3 scale) implements HostEdit {
        public String apply(World world, ScriptRuntime scripts) {
            long spawned = world.spawn(position, rotation, scale);
            return spawned == entity ? null
                    : "spawned entity " + Entities.format(spawned) + " where the recording spawned " + Entities.format(entity);
        }

        public String encode() {
            return "spawn_row " + entity + " " + vec(position) + " " + floatBits(rotation.x()) + " " + floatBits(rotation.y())
                    + " " + floatBits(rotation.z()) + " " + floatBits(rotation.w()) + " " + vec(scale);
        }
    }

    /**
     * An entity despawned directly on the world ({@code world().despawn}): unlike {@link Despawn}
     * its scripts stay attached, as they did in the recorded run.
     */
    record WorldDespawn(long entity) implements HostEdit {
        public String apply(World world, ScriptRuntime scripts) {
            return status(world.despawn(entity));
        }

        public String encode() {
            return "world_despawn " + entity;
        }
    }

    /** Which vector of an entity's transform a {@link Transform} edit sets. */
    enum Part { POSITION, SCALE, VELOCITY }

    /**
     * An entity's position, scale or velocity set by the host to {@code value} (a translate is
     * recorded as the position it left): the value as stored, so writing it again is exact.
     */
    record Transform(long entity, Part part, Vec3 value) implements Repeatable {
        public String apply(World world, ScriptRuntime scripts) {
            return status(switch (part) {
                case POSITION -> world.setPosition(entity, value);
                case SCALE -> world.setScale(entity, value);
                case VELOCITY -> world.setVelocity(entity, value);
            });
        }

        public String encode() {
            return part.name().toLowerCase(Locale.ROOT) + " " + entity + " " + vec(value);
        }
    }

    /**
     * An entity's rotation set by the host from {@code requested} (the argument the world
     * normalised: a rotate or lookAt is recorded as the rotation it set), so setting it again
     * stores the same bits.
     */
    record Rotation(long entity, Quat requested) implements Repeatable {
        public String apply(World world, ScriptRuntime scripts) {
            return status(world.setRotation(entity, requested));
        }

        public String encode() {
            return "rotation " + entity + " " + floatBits(requested.x()) + " " + floatBits(requested.y()) + " "
                    + floatBits(requested.z()) + " " + floatBits(requested.w());
        }
    }

    /** An entity's name set by the host ({@code name} null: cleared). */
    record Name(long entity, String name) implements Repeatable {
        public String apply(World world, ScriptRuntime scripts) {
            return status(world.setName(entity, name));
        }

        public String encode() {
            return "name " + entity + (name == null ? "" : " " + name); // the name last: it may hold spaces
        }
    }

    /** A tag removed by the host; made again where the tag is gone already, it changes nothing. */
    record Untag(long entity, String tag) implements Repeatable {
        public String apply(World world, ScriptRuntime scripts) {
            Status s = world.removeTag(entity, tag);
            return s == Status.NOT_FOUND ? null : status(s);
        }

        public String encode() {
            return "untag " + entity + " " + tag;
        }
    }

    /** A component removed by the host; made again where it is gone already, it changes nothing. */
    record ComponentRemoved(long entity, long typeHash) implements Repeatable {
        public String apply(World world, ScriptRuntime scripts) {
            Status s = world.removeComponent(entity, typeHash);
            return s == Status.NOT_FOUND ? null : status(s);
        }

        public String encode() {
            return "component_removed " + entity + " " + Long.toHexString(typeHash);
        }
    }

    /** An entity flagged physics-driven ({@code driven}) or not, by the host. */
    record PhysicsDriven(long entity, boolean driven) implements Repeatable {
        public String apply(World world, ScriptRuntime scripts) {
            if (!world.isAlive(entity)) return "entity " + Entities.format(entity) + " is not alive";
            scripts.setPhysicsDriven(entity, driven);
            return null;
        }

        public String encode() {
            return "physics_driven " + entity + " " + driven;
        }
    }

    /**
     * A physics handler installed ({@code present}) or removed by the host. The handler is the
     * game's code: here nothing is made (a live run keeps the handler it has); a replay, which
     * has no game, puts in or takes out its handler of the recorded physics writes
     * ({@link FrameRecord#physics}) where this edit stands.
     */
    record PhysicsHandlerSet(boolean present) implements Repeatable {
        public String apply(World world, ScriptRuntime scripts) {
            return null;
        }

        public String encode() {
            return "physics_handler " + present;
        }
    }

    /**
     * A component type registered by the host (the embedding's {@code kiln.input}): fields as
     * name and type, laid out again by {@link ComponentSchema#of} (the layout is a function of them).
     */
    record Register(ComponentSchema schema) implements Repeatable {
        public String apply(World world, ScriptRuntime scripts) {
            try {
                world.registerComponent(schema);
                return null;
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }

        /** {@code register <policy> <field count> <name>:<TYPE>... <component name>}: the name last. */
        public String encode() {
            StringBuilder b = new StringBuilder("register ").append(schema.policy().spelling()).append(' ')
                    .append(schema.fields().size());
            for (ComponentSchema.Field f : schema.fields()) b.append(' ').append(f.name()).append(':').append(f.type().name());
            return b.append(' ').append(schema.name()).toString();
        }

        static Register decode(String rest) {
            String[] head = fields(rest, 3);
            ComponentPolicy policy = ComponentPolicy.parse(head[0]);
            if (policy == null) throw new IllegalArgumentException("unknown component policy '" + head[0] + "'");
            int count = Integer.parseInt(head[1]);
            if (count < 1 || count > REGISTERED_FIELDS_MAX) {
                throw new IllegalArgumentException("a component has 1 to " + REGISTERED_FIELDS_MAX + " fields, found " + count);
            }
            String[] f = fields(head[2], count + 1);
            List<ComponentSchema.Field> unplaced = new ArrayList<>();
            for (int k = 0; k < count; k++) {
                int colon = f[k].lastIndexOf(':');
                if (colon <= 0) throw new IllegalArgumentException("field '" + f[k] + "' is not <name>:<TYPE>");
                unplaced.add(new ComponentSchema.Field(f[k].substring(0, colon), FieldType.valueOf(f[k].substring(colon + 1)), 0));
            }
            return new Register(ComponentSchema.of(f[count], unplaced, policy));
        }
    }

    /** Most fields a recorded component type may declare (the embedding's input has 51). */
    int REGISTERED_FIELDS_MAX = 1024;

    /** {@code change} on instance {@code id}: null when it succeeded, else why not. */
    private static String onInstance(ScriptRuntime scripts, int id, Function<ScriptInstance, Status> change) {
        ScriptInstance i = scripts.instance(id);
        return i == null ? "no instance " + id : status(change.apply(i));
    }

    private static String status(Status s) {
        return s == Status.OK ? null : s.toString();
    }

    /**
     * Reads {@link #encode()}'s text back.
     *
     * @throws IllegalArgumentException the text is not an edit (the message says what is wrong)
     */
    static HostEdit decode(String text) {
        String[] p = text.split(" ", 2);
        String rest = p.length > 1 ? p[1] : "";
        try {
            return switch (p[0]) {
                case "state" -> {
                    String[] f = fields(rest, 3);
                    yield new StateField(Integer.parseInt(f[0]), f[1], f[2]);
                }
                case "var" -> {
                    String[] f = fields(rest, 3);
                    int values = f[1].equals("vec3") ? 3 : 1;
                    String[] v = fields(f[2], values + 1);
                    VarValue value = switch (f[1]) {
                        case "f64" -> new VarValue.F64(Double.longBitsToDouble(Long.parseUnsignedLong(v[0], 16)));
                        case "i64" -> new VarValue.I64(Long.parseLong(v[0]));
                        case "bool" -> new VarValue.Bool(Boolean.parseBoolean(v[0]));
                        case "vec3" -> new VarValue.V3(new Vec3(bits(v[0]), bits(v[1]), bits(v[2])));
                        default -> throw new IllegalArgumentException("unknown var kind '" + f[1] + "'");
                    };
                    yield new Var(Long.parseLong(f[0]), v[values], value);
                }
                case "component" -> {
                    String[] f = fields(rest, 3);
                    yield new Component(Long.parseLong(f[0]), Long.parseUnsignedLong(f[1], 16), HexFormat.of().parseHex(f[2]));
                }
                case "attach" -> {
                    String[] f = fields(rest, 4);
                    yield new Attach(Long.parseLong(f[0]), f[3], Integer.parseInt(f[1]), f[2].equals("-") ? null : Phase.valueOf(f[2]));
                }
                case "detach" -> new Detach(Integer.parseInt(rest));
                case "spawn" -> {
                    String[] f = rest.split(" ", 2);
                    yield new Spawn(Long.parseLong(f[0]), f.length > 1 ? f[1] : null);
                }
                case "spawn_at" -> {
                    String[] f = fields(rest, 4);
                    yield new SpawnAt(Long.parseLong(f[0]), bits(f[1]), bits(f[2]), bits(f[3]));
                }
                case "despawn" -> new Despawn(Long.parseLong(rest));
                case "signal" -> {
                    String[] f = fields(rest, 3);
                    byte[] payload = f[1].equals("-") ? new byte[0] : HexFormat.of().parseHex(f[1]);
                    if (payload.length > Layouts.SIGNAL_PAYLOAD_MAX) {
                        throw new IllegalArgumentException("a signal payload is at most " + Layouts.SIGNAL_PAYLOAD_MAX + " bytes, found "
                                + payload.length);
                    }
                    yield new Signal(Long.parseLong(f[0]), payload, f[2]);
                }
                case "tag" -> {
                    String[] f = fields(rest, 2);
                    yield new Tag(Long.parseLong(f[0]), f[1]);
                }
                case "register" -> Register.decode(rest);
                case "spawn_row" -> {
                    String[] f = fields(rest, 11);
                    yield new SpawnRow(Long.parseLong(f[0]), new Vec3(bits(f[1]), bits(f[2]), bits(f[3])),
                            new Quat(bits(f[4]), bits(f[5]), bits(f[6]), bits(f[7])), new Vec3(bits(f[8]), bits(f[9]), bits(f[10])));
                }
                case "world_despawn" -> new WorldDespawn(Long.parseLong(rest));
                case "position", "scale", "velocity" -> {
                    String[] f = fields(rest, 4);
                    yield new Transform(Long.parseLong(f[0]), Part.valueOf(p[0].toUpperCase(Locale.ROOT)),
                            new Vec3(bits(f[1]), bits(f[2]), bits(f[3])));
                }
                case "rotation" -> {
                    String[] f = fields(rest, 5);
                    yield new Rotation(Long.parseLong(f[0]), new Quat(bits(f[1]), bits(f[2]), bits(f[3]), bits(f[4])));
                }
                case "name" -> {
                    String[] f = rest.split(" ", 2);
                    yield new Name(Long.parseLong(f[0]), f.length > 1 ? f[1] : null);
                }
                case "untag" -> {
                    String[] f = fields(rest, 2);
                    yield new Untag(Long.parseLong(f[0]), f[1]);
                }
                case "component_removed" -> {
                    String[] f = fields(rest, 2);
                    yield new ComponentRemoved(Long.parseLong(f[0]), Long.parseUnsignedLong(f[1], 16));
                }
                case "physics_driven" -> {
                    String[] f = fields(rest, 2);
                    yield new PhysicsDriven(Long.parseLong(f[0]), bool(f[1]));
                }
                case "physics_handler" -> new PhysicsHandlerSet(bool(rest));
                case "enabled" -> {
                    String[] f = fields(rest, 2);
                    yield new Enabled(Integer.parseInt(f[0]), Boolean.parseBoolean(f[1]));
                }
                case "priority" -> {
                    String[] f = fields(rest, 2);
                    yield new Priority(Integer.parseInt(f[0]), Integer.parseInt(f[1]));
                }
                default -> throw new IllegalArgumentException("unknown edit '" + p[0] + "'");
            };
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("a malformed '" + p[0] + "' edit: " + e.getMessage(), e);
        }
    }

    /** A vector as three floats' raw bits. */
    private static String vec(Vec3 v) {
        return floatBits(v.x()) + " " + floatBits(v.y()) + " " + floatBits(v.z());
    }

    /** "true" or "false", nothing else (a recording file is untrusted). */
    private static boolean bool(String text) {
        if (!text.equals("true") && !text.equals("false")) throw new IllegalArgumentException("expected true or false, found '" + text + "'");
        return text.equals("true");
    }

    /** A float's raw bits in hex: written and read back exactly ({@link #bits}). */
    private static String floatBits(float v) {
        return Integer.toHexString(Float.floatToRawIntBits(v));
    }

    private static float bits(String hex) {
        return Float.intBitsToFloat(Integer.parseUnsignedInt(hex, 16));
    }

    private static String[] fields(String text, int n) {
        String[] f = text.split(" ", n);
        if (f.length != n) throw new IllegalArgumentException("expected " + n + " fields, found " + f.length);
        return f;
    }
}
