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

    /** Whether {@code name} implements {@code workload} (the floor and Dominion only W1, ...). */
    static boolean supports(String name, Workload workload) {
        boolean original = workload.ordinal() <= Workload.W5.ordinal(); // W1–W5: every alternative
        return switch (name) {
            case "kiln" -> true;
            case "java" -> workload != Workload.DEMO;
            case "floor" -> workload == Workload.W1 || workload == Workload.W7;
            case "dominion" -> workload == Workload.W1;
            // Not written for W6/W7 yet: LuaJ at 1M entities would take minutes a frame; the wasm
            // module's static arrays are sized for 100k entities; W6 has no one-module form yet.
            case "luaj", "chicory" -> original;
            default -> false;
        };
    }

    /** {@code name} running {@code workload} over {@code n} entities, or null where it has none. */
    static Impl create(String name, Workload workload, int n) {
        return switch (name) {
            case "kiln" -> new ProductImpl(workload, n);
            case "floor" -> supports(name, workload) ? new FloorImpl(n) : null;
            case "java" -> supports(name, workload) ? new JavaImpl(workload, n) : null;
            case "dominion" -> supports(name, workload) ? new DominionImpl(n) : null;
            case "luaj" -> supports(name, workload) ? new LuaImpl(workload, n) : null;
            case "chicory" -> supports(name, workload) ? new ChicoryImpl(workload, n) : null;
            default -> throw new IllegalArgumentException("no implementation " + name);
        };
    }
}
