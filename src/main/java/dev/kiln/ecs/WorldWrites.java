package dev.kiln.ecs;

/**
 * Hears of the writes made to a {@link World} through its public methods while it is installed
 * ({@link World#observeWrites}): each call comes after a write that succeeded, on the thread
 * that made it, with the world already changed. The world knows nothing of who listens: the
 * recorder installs one between frames to record what a game writes there (docs/rewind.md), and
 * none while a frame runs, so the engine's own writes cost a null check. Bulk paths (the native
 * apply and churn kernels, velocity integration, keyframe imports) are the engine's and are not
 * reported.
 */
public interface WorldWrites {
    /** {@code entity} was spawned; its row (position, rotation, scale) is as written. */
    void spawned(long entity);

    /** {@code entity} was despawned (no longer alive). */
    void despawned(long entity);

    /** {@code entity}'s position, scale or velocity ({@link #POSITION}, {@link #SCALE}, {@link #VELOCITY}) now holds its new value. */
    void transformWritten(long entity, int part);

    /**
     * {@code entity}'s rotation was set from {@code requested} (normalised by the world): the
     * argument, not the stored value, so writing it again stores the same bits.
     */
    void rotationSet(long entity, Quat requested);

    /** {@code entity}'s name set ({@code name} null: cleared). */
    void nameSet(long entity, String name);

    /** {@code tag} added to {@code entity} ({@code added}) or removed from it. */
    void tagWritten(long entity, String tag, boolean added);

    /** {@code entity}'s component {@code typeHash} written (its row as stored now) or removed ({@code removed}). */
    void componentWritten(long entity, long typeHash, boolean removed);

    /** ScriptVars entry {@code key} of {@code entity} set to {@code value}. */
    void varSet(long entity, String key, VarValue value);

    /** A component type registered for the first time. */
    void componentRegistered(ComponentSchema schema);

    /** {@link #transformWritten}'s part: the position. */
    int POSITION = 0;
    /** {@link #transformWritten}'s part: the scale. */
    int SCALE = 1;
    /** {@link #transformWritten}'s part: the velocity. */
    int VELOCITY = 2;
}
