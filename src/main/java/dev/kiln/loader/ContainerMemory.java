package dev.kiln.loader;

/**
 * Where a library's instances keep their containers (kiln.List / String / Map elements): the
 * engine's {@link NativeHeap} for libraries in its process, the host's own heap for an isolated
 * library (reached by requests to its host). What the runtime needs of either: budgets, usage,
 * freeing a detached instance's containers, and, for a hot reload into another memory, reading
 * elements out and creating containers.
 */
public interface ContainerMemory {
    void setBudget(int instance, long bytes);

    /** The instance's usage (refusal counts are not cleared). */
    NativeHeap.Usage usage(int instance);

    /** The instance's usage; {@code clearRefused} restarts its count of refusals (once reported). */
    NativeHeap.Usage usage(int instance, boolean clearRefused);

    /**
     * Instances refused growth for their budget since the last call (each once until its count
     * is cleared by {@link #usage(int, boolean)}), and how many more were not listed. Frame thread.
     */
    NativeHeap.Refusals takeRefusals();

    /**
     * The live container {@code handle} names (kiln_handle bits): its len, capacity (elements),
     * element size and owner (0 where the memory does not say: an isolated host's); null when
     * the handle is empty or stale. Frame thread (an isolated host answers a request).
     */
    NativeHeap.Block block(long handle);

    /** Frees every container of {@code instance}. */
    void freeInstance(int instance);

    /**
     * The elements in use of the container {@code handle} names (kiln_handle bits: id low,
     * generation high), or null when it is empty or stale or its elements are not
     * {@code elemSize} bytes.
     */
    byte[] elements(long handle, int elemSize);

    /**
     * The first {@code min(len, maxCount)} elements of that container (what a view shows of a
     * long one without copying it all), or null as for {@link #elements(long, int)}.
     */
    byte[] elements(long handle, int elemSize, int maxCount);

    /**
     * A new container of {@code instance} holding {@code count} elements of {@code elemSize}
     * bytes (outside its budget: the engine moves it, the script did not ask); its handle bits,
     * or 0 when it could not be made.
     */
    long create(int instance, int elemSize, int count, byte[] bytes);
}
