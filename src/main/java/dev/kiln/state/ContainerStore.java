package dev.kiln.state;

/**
 * Where the elements of a State's containers live (engine memory, dev.kiln.loader.NativeHeap): what
 * {@link StateMigration} reads and rewrites when a container's element type changes on a hot
 * reload, and what {@link StateValues} reads to show a container's elements. A handle is the
 * 8 bytes a State holds (kiln_handle: id in the low 32 bits, generation in the high 32).
 */
public interface ContainerStore {
    /** The id of a handle: 0 for an empty container. */
    static int id(long handle) {
        return (int) handle;
    }

    static int generation(long handle) {
        return (int) (handle >>> 32);
    }

    /**
     * The elements in use of the block {@code handle} names (len × elemSize bytes), or null when
     * the handle is empty or stale or its elements are not {@code elemSize} bytes.
     */
    byte[] elements(long handle, int elemSize);

    /**
     * Replaces that container's elements by {@code count} elements of {@code elemSize} bytes;
     * returns the handle the new State holds for it: the same one, or a new one when the
     * containers move to another memory (an isolated script's new host).
     */
    long replace(long handle, int elemSize, int count, byte[] bytes);
}
