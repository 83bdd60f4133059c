package dev.kiln.bench.compare;

/** The comparison workloads: Kiln against what users would pick instead (docs/performance.md, "Against the alternatives"). */
public enum Workload {
    /** Movement: one script per entity, position += velocity·dt plus a wobble. */
    W1("movement", "entity update"),
    /** Neighbours: each entity queries those within a radius and steers toward them. */
    W2("neighbours", "entity update"),
    /** Churn: 10 spawners spawn and despawn 1,000 entities a frame through requests. */
    W3("churn", "request"),
    /** Messages: every entity sends 10 signals a frame to other entities' scripts. */
    W4("messages", "signal"),
    /** Layered: 3 scripts per entity in pre_update / update / post_update at 3 priorities. */
    W5("layered", "script update"),
    /**
     * A real game's mix: n/5 distinct script libraries × 5 instances (one per entity), spread
     * over the three phases, each reading 4 positions and posting 1–3 requests.
     */
    W6("a real game's mix", "script update"),
    /** A million: W1's mover on every entity, at sizes where the command buffer must grow. */
    W7("a million", "entity update"),
    /** The demo scene (demo/scene.json), inspector and watcher off: Kiln only, n ignored. */
    DEMO("the demo scene", "frame");

    public final String title;
    /** What one unit of work is, for the "ns per ..." column. */
    public final String unit;

    Workload(String title, String unit) {
        this.title = title;
        this.unit = unit;
    }

    /** Units of work per frame with {@code n} entities. */
    public long unitsPerFrame(int n) {
        return switch (this) {
            case W1, W2, W6, W7 -> n;
            case DEMO -> 1;
            case W3 -> 2L * Logic.CHURN_SPAWNERS * Logic.CHURN_PER_SPAWNER;
            case W4 -> (long) n * Logic.SIGNALS_PER_ENTITY;
            case W5 -> 3L * n;
        };
    }
}
