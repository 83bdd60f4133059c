package dev.kiln.ecs;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Entity lifecycle: which rows are alive, their generations and the free list. A handle is a
 * row index and a generation ({@link Entities}); a row reused after a despawn gets the next
 * generation, so an old handle reads as stale. Owned by {@link World}, which grows every table
 * together ({@link #grow}); frame thread only.
 */
final class EntityTable {
    private int capacity;
    private int[] generations;
    /** 1 when the row's entity is alive (bytes, not booleans: the native apply path reads them). */
    private byte[] alive;
    private int[] freeList;
    private int freeCount;
    private int highWater;
    private int aliveCount;
    /** Moves whenever an entity that was alive may have stopped being alive (see {@link World#releases}). */
    private long releases;

    /** Reallocates the rows to {@code newCapacity} (never smaller), keeping their contents. */
    void grow(int newCapacity) {
        int old = capacity;
        capacity = newCapacity;
        generations = generations == null ? new int[newCapacity] : Arrays.copyOf(generations, newCapacity);
        alive = alive == null ? new byte[newCapacity] : Arrays.copyOf(alive, newCapacity);
        freeList = freeList == null ? new int[newCapacity] : Arrays.copyOf(freeList, newCapacity);
        for (int i = old; i < newCapacity; i++) generations[i] = 0;
    }

    /** Whether {@link World#ENTITIES_MAX} entities are alive: a spawn must fail. */
    boolean full() {
        return aliveCount >= World.ENTITIES_MAX;
    }

    /** Whether the next {@link #claim} needs a row past the capacity (the tables must grow first). */
    boolean needsNewRow() {
        return freeCount == 0 && highWater == capacity;
    }

    /**
     * Takes a row for a new entity (the free list last in, first out, else the next unused row)
     * and makes it alive with the next generation; returns its index. The caller checked
     * {@link #full} and {@link #needsNewRow}.
     */
    int claim() {
        int index;
        if (freeCount > 0) {
            index = freeList[--freeCount];
        } else {
            index = highWater++;
        }
        int generation = generations[index] + 1;
        if (generation == 0 || generation == Entities.PENDING_GENERATION) generation = 1;
        generations[index] = generation;
        alive[index] = 1;
        aliveCount++;
        return index;
    }

    /** Kills the live entity at {@code index} and puts its row on the free list. */
    void release(int index) {
        releases++;
        alive[index] = 0;
        aliveCount--;
        freeList[freeCount++] = index;
    }

    boolean isAlive(long handle) {
        int index = Entities.index(handle);
        int generation = Entities.generation(handle);
        return generation != 0 && index >= 0 && index < highWater && alive[index] != 0
                && generations[index] == generation;
    }

    long handleAt(int index) {
        return index >= 0 && index < highWater && alive[index] != 0
                ? Entities.handle(index, generations[index]) : Entities.NULL;
    }

    /** The handle of row {@code index} with its current generation, alive or not. */
    long handleOf(int index) {
        return Entities.handle(index, generations[index]);
    }

    boolean aliveAt(int index) {
        return index < highWater && alive[index] != 0;
    }

    int generationAt(int index) {
        return generations[index];
    }

    void forEachAlive(LongConsumer action) {
        for (int i = 0; i < highWater; i++) if (alive[i] != 0) action.accept(Entities.handle(i, generations[i]));
    }

    int aliveCount() {
        return aliveCount;
    }

    int highWater() {
        return highWater;
    }

    int capacity() {
        return capacity;
    }

    int freeCount() {
        return freeCount;
    }

    // The raw tables, for World's bulk kernels and keyframes; valid until the next grow.

    int[] generations() {
        return generations;
    }

    byte[] alive() {
        return alive;
    }

    long releases() {
        return releases;
    }

    int[] freeList() {
        return freeList;
    }

    /** Takes back the counts a bulk kernel moved (the churn path spawns and despawns). */
    void setCounts(int highWater, int freeCount, int aliveCount) {
        releases++; // after a native churn pass, which may have despawned: counted without asking it how many
        this.highWater = highWater;
        this.freeCount = freeCount;
        this.aliveCount = aliveCount;
    }

    /**
     * Puts the rows back as keyframe {@code k} holds them, rows from its high-water mark up to
     * {@code cleared} emptied as never used. The caller grew the tables to hold them.
     */
    void restore(WorldKeyframe k, int cleared) {
        releases++; // entities alive before may not be now
        int n = k.highWater();
        System.arraycopy(k.generations(), 0, generations, 0, n);
        System.arraycopy(k.alive(), 0, alive, 0, n);
        Arrays.fill(generations, n, cleared, 0);
        Arrays.fill(alive, n, cleared, (byte) 0);
        System.arraycopy(k.freeList(), 0, freeList, 0, k.freeList().length);
        freeCount = k.freeList().length;
        highWater = n;
        aliveCount = k.aliveCount();
    }
}
