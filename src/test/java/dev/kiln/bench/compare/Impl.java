package dev.kiln.bench.compare;

/**
 * One implementation of one workload: set up in its constructor (entities spawned, scripts
 * attached and initialised), then {@link #frame} runs one frame.
 */
public interface Impl extends AutoCloseable {
    /** Implementation names, in table order; the product first. */
    String[] NAMES = {"kiln", "floor", "java", "dominion", "luaj", "chicory"};

    void frame();

    /** xyz of every live entity in entity-index order (W3: sorted, see CompareSupport). */
    float[] positions();

    /** Throws when the implementation saw a failure (a logged script error, a dropped request). */
    default void requireHealthy() {}

    @Override
    void close();

    /** {@code name} running {@code workload} over {@code n} entities, or null where it has none. */
    static Impl create(String name, Workload workload, int n) {
        return switch (name) {
            case "kiln" -> new ProductImpl(workload, n);
            case "floor" -> workload == Workload.W1 ? new FloorImpl(n) : null;
            case "java" -> new JavaImpl(workload, n);
            case "dominion" -> workload == Workload.W1 ? new DominionImpl(n) : null;
            case "luaj" -> workload == Workload.W5 ? null : new LuaImpl(workload, n);
            case "chicory" -> workload == Workload.W1 || workload == Workload.W2 ? new ChicoryImpl(workload, n) : null;
            default -> throw new IllegalArgumentException("no implementation " + name);
        };
    }
}
