package dev.kiln.rewind;

import dev.kiln.ecs.ComponentSchema;
import dev.kiln.ecs.Quat;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.World;
import dev.kiln.ecs.WorldWrites;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Turns the writes a world reports ({@link WorldWrites}) into the {@link HostEdit}s that make
 * them again exactly: a value as the world stored it (a translate becomes the position it
 * left, a component write the row it left), a rotation as the argument the world normalised.
 * The recorder installs one between frames (what a game writes through {@code Kiln.world()});
 * the physics route installs one around each call of a game's physics handler.
 */
final class HostWrites implements WorldWrites {
    private final World world;
    /** False when nothing would be kept: the writes are then not even turned into edits. */
    private final BooleanSupplier wanted;
    private final Consumer<HostEdit> sink;

    HostWrites(World world, BooleanSupplier wanted, Consumer<HostEdit> sink) {
        this.world = world;
        this.wanted = wanted;
        this.sink = sink;
    }

    /** Every write kept ({@code sink}'s own list, as the physics tap's). */
    HostWrites(World world, Consumer<HostEdit> sink) {
        this(world, () -> true, sink);
    }

    @Override
    public void spawned(long entity) {
        if (!wanted.getAsBoolean()) return;
        sink.accept(new HostEdit.SpawnRow(entity, world.position(entity), world.rotation(entity), world.scale(entity)));
    }

    @Override
    public void despawned(long entity) {
        if (!wanted.getAsBoolean()) return;
        sink.accept(new HostEdit.WorldDespawn(entity));
    }

    @Override
    public void transformWritten(long entity, int part) {
        if (!wanted.getAsBoolean()) return;
        sink.accept(switch (part) {
            case POSITION -> new HostEdit.Transform(entity, HostEdit.Part.POSITION, world.position(entity));
            case SCALE -> new HostEdit.Transform(entity, HostEdit.Part.SCALE, world.scale(entity));
            default -> new HostEdit.Transform(entity, HostEdit.Part.VELOCITY, world.velocity(entity));
        });
    }

    @Override
    public void rotationSet(long entity, Quat requested) {
        if (!wanted.getAsBoolean()) return;
        sink.accept(new HostEdit.Rotation(entity, requested));
    }

    @Override
    public void nameSet(long entity, String name) {
        if (!wanted.getAsBoolean()) return;
        sink.accept(new HostEdit.Name(entity, name));
    }

    @Override
    public void tagWritten(long entity, String tag, boolean added) {
        if (!wanted.getAsBoolean()) return;
        sink.accept(added ? new HostEdit.Tag(entity, tag) : new HostEdit.Untag(entity, tag));
    }

    @Override
    public void componentWritten(long entity, long typeHash, boolean removed) {
        if (!wanted.getAsBoolean()) return;
        sink.accept(removed ? new HostEdit.ComponentRemoved(entity, typeHash)
                : new HostEdit.Component(entity, typeHash, world.getComponent(entity, typeHash)));
    }

    @Override
    public void varSet(long entity, String key, VarValue value) {
        if (!wanted.getAsBoolean()) return;
        sink.accept(new HostEdit.Var(entity, key, value));
    }

    @Override
    public void componentRegistered(ComponentSchema schema) {
        if (!wanted.getAsBoolean()) return;
        sink.accept(new HostEdit.Register(schema));
    }

    /**
     * Adds {@code edit} to {@code edits}, replacing the last one when both set the same vector or
     * rotation of the same entity (a game that moves an entity several times between two frames
     * records where it left it once; the values are absolute, so nothing is lost).
     */
    static void addMerged(List<HostEdit> edits, HostEdit edit) {
        HostEdit last = edits.isEmpty() ? null : edits.getLast();
        boolean same = switch (edit) {
            case HostEdit.Transform t -> last instanceof HostEdit.Transform l && l.entity() == t.entity() && l.part() == t.part();
            case HostEdit.Rotation r -> last instanceof HostEdit.Rotation l && l.entity() == r.entity();
            default -> false;
        };
        if (same) edits.set(edits.size() - 1, edit);
        else edits.add(edit);
    }
}
