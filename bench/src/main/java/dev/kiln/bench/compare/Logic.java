package dev.kiln.bench.compare;

/**
 * Java transcription of bench/zig/compare/compare_logic.zig, for the implementations that
 * are not built from Zig (the plain-Java baseline and Dominion; the Lua scripts transcribe it
 * in Lua). Keep the two in step: CompareEquivalenceTest fails when they diverge.
 */
public final class Logic {
    private Logic() {}

    /** W1/W2 per-entity state: planar velocity and wobble phase. */
    public static final class Mover {
        public float vx;
        public float vz;
        public float phase;

        public Mover(int index) {
            vx = 1.0f + (index % 7) * 0.25f;
            vz = 0.5f - (index % 5) * 0.25f;
            phase = (index % 16) * 0.0625f;
        }
    }

    /** W1: advances the wobble; writes the xyz offset of this frame to {@code out[at..at+2]}. */
    public static void moverStep(Mover m, float dt, float[] out, int at) {
        float p = m.phase + dt;
        if (p >= 1.0f) p -= 1.0f;
        m.phase = p;
        float wobble = (Math.abs(p * 2.0f - 1.0f) - 0.5f) * 0.1f;
        out[at] = m.vx * dt;
        out[at + 1] = wobble * dt;
        out[at + 2] = m.vz * dt;
    }

    public static final float BOIDS_RADIUS = 3.0f;
    public static final float BOIDS_COHESION = 0.5f;
    public static final float BOIDS_DAMPING = 0.99f;

    /** W2: steers by the summed neighbour offset of {@code count} neighbours; writes the offset. */
    public static void boidsStep(Mover m, float sumX, float sumZ, int count, float dt, float[] out, int at) {
        if (count > 0) {
            float inv = 1.0f / count;
            m.vx = (m.vx + sumX * inv * BOIDS_COHESION * dt) * BOIDS_DAMPING;
            m.vz = (m.vz + sumZ * inv * BOIDS_COHESION * dt) * BOIDS_DAMPING;
        }
        out[at] = m.vx * dt;
        out[at + 1] = 0;
        out[at + 2] = m.vz * dt;
    }

    public static final int CHURN_SPAWNERS = 10;
    public static final int CHURN_PER_SPAWNER = 100;

    public static float churnX(int spawner) {
        return spawner * 10.0f;
    }

    public static float churnY(long frame) {
        return (float) (frame % 64);
    }

    public static float churnZ(int k) {
        return k * 0.5f;
    }

    public static final int SIGNALS_PER_ENTITY = 10;

    public static int signalTarget(int index, int k, int n) {
        return (index + 1 + k * 97) % n;
    }

    public static float signalValue(int index, int k) {
        return ((index + k) % 13) * 0.125f;
    }

    public static float inboxOffset(float inbox, float dt) {
        return inbox * 0.01f * dt;
    }

    // W5: the logic of bench/zig/bench/bench_layer_{pre,update,post}.zig with their defaults.
    public static final float LAYER_TURN_RATE = 0.5f;
    public static final float LAYER_SPEED = 1f;
    public static final float LAYER_BOB_SPEED = 0.25f;
    public static final float LAYER_REST_HEIGHT = 0f;
    public static final float LAYER_HALF_EXTENT = 500f;

    // W6: the mix of compare_logic.zig (mix*), one library per 5 entities.
    public static final int MIX_INSTANCES_PER_LIBRARY = 5;
    public static final int MIX_READS = 3;
    public static final float MIX_GAIN = 0.02f;

    public static int mixPhase(int library) {
        return library % 3;
    }

    public static int mixRequests(int library) {
        return 1 + (library / 3) % 3;
    }

    public static int mixRead(int index, int j, int n) {
        return (index + 1 + j * 131) % n;
    }

    /** W6: writes the translate of this update to {@code out[at..at+2]}. */
    public static void mixOffset(int library, float sumX, float sumZ, float dt, float[] out, int at) {
        float inv = 1.0f / MIX_READS;
        float driftX = 0.5f + (library % 11) * 0.01f;
        float driftZ = -0.3f + (library % 13) * 0.01f;
        out[at] = (sumX * inv * MIX_GAIN + driftX) * dt;
        out[at + 1] = 0;
        out[at + 2] = (sumZ * inv * MIX_GAIN + driftZ) * dt;
    }

    public static float mixVelocityX(int library) {
        return ((library % 5) - 2) * 0.1f;
    }

    public static float mixVelocityZ(int library) {
        return ((library % 7) - 3) * 0.1f;
    }

    public static float mixScale(int library) {
        return 1.0f + (library % 4) * 0.05f;
    }
}
