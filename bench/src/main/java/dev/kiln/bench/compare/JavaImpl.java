package dev.kiln.bench.compare;

import dev.kiln.ecs.Quat;
import dev.kiln.ecs.Vec3;
import dev.kiln.ecs.World;

/**
 * In-JVM baseline: the same logic as plain Java systems over the engine's {@link World}, with
 * no scripting boundary, no requests and no snapshot. Writes that the product defers to a
 * barrier are deferred here too where the logic reads positions (W2), so the results match.
 */
final class JavaImpl implements Impl {
    private final Workload workload;
    private final World world = new World();
    private final int n;
    private long[] handles;
    private Logic.Mover[] movers;
    private float[] offsets;
    private final CompareSupport.Neighbours neighbours = new CompareSupport.Neighbours();
    private final int[] found = new int[64];
    private long[][] spawned;
    private float[] inbox;
    private int[] signalTargets;
    private float[] signalValues;
    private long frameIndex;

    JavaImpl(Workload workload, int n) {
        this.workload = workload;
        this.n = n;
        switch (workload) {
            case W1, W2, W7 -> {
                handles = CompareSupport.spawnGrid(world, n);
                movers = new Logic.Mover[n];
                for (int i = 0; i < n; i++) movers[i] = new Logic.Mover(i);
                offsets = new float[3 * n];
            }
            case W3 -> {
                handles = CompareSupport.spawnGrid(world, Logic.CHURN_SPAWNERS);
                spawned = new long[Logic.CHURN_SPAWNERS][0];
            }
            case W4 -> {
                handles = CompareSupport.spawnGrid(world, n);
                inbox = new float[n];
                signalTargets = new int[n * Logic.SIGNALS_PER_ENTITY];
                signalValues = new float[n * Logic.SIGNALS_PER_ENTITY];
            }
            case W5 -> handles = CompareSupport.spawnGrid(world, n);
            case W6 -> {
                MixLibraries.libraries(n); // checks n
                handles = CompareSupport.spawnGrid(world, n);
                offsets = new float[3 * n];
            }
            case DEMO -> throw new IllegalArgumentException("no plain-Java demo scene");
        }
    }

    @Override
    public void frame() {
        float dt = CompareSupport.DT_F;
        switch (workload) {
            case W1, W7 -> {
                float[] o = offsets;
                for (int i = 0; i < n; i++) {
                    Logic.moverStep(movers[i], dt, o, i * 3);
                    world.translate(handles[i], new Vec3(o[i * 3], o[i * 3 + 1], o[i * 3 + 2]));
                }
            }
            case W2 -> {
                neighbours.rebuild(world);
                float[] p = world.rawPositions();
                for (int i = 0; i < n; i++) {
                    int count = neighbours.query(i, Logic.BOIDS_RADIUS, found);
                    float sx = 0, sz = 0;
                    for (int k = 0; k < count; k++) {
                        sx += p[found[k] * 3] - p[i * 3];
                        sz += p[found[k] * 3 + 2] - p[i * 3 + 2];
                    }
                    Logic.boidsStep(movers[i], sx, sz, count, dt, offsets, i * 3);
                }
                for (int i = 0; i < n; i++) {
                    world.translate(handles[i], new Vec3(offsets[i * 3], offsets[i * 3 + 1], offsets[i * 3 + 2]));
                }
            }
            case W3 -> {
                for (int s = 0; s < Logic.CHURN_SPAWNERS; s++) {
                    for (long h : spawned[s]) world.despawn(h);
                    long[] next = new long[Logic.CHURN_PER_SPAWNER];
                    for (int k = 0; k < next.length; k++) {
                        next[k] = world.spawn(new Vec3(Logic.churnX(s), Logic.churnY(frameIndex), Logic.churnZ(k)),
                                Quat.IDENTITY, Vec3.ONE);
                    }
                    spawned[s] = next;
                }
            }
            case W4 -> {
                int q = 0;
                for (int i = 0; i < n; i++) {
                    world.translate(handles[i], new Vec3(Logic.inboxOffset(inbox[i], dt), 0, 0));
                    inbox[i] = 0;
                    for (int k = 0; k < Logic.SIGNALS_PER_ENTITY; k++) {
                        signalTargets[q] = Logic.signalTarget(i, k, n);
                        signalValues[q++] = Logic.signalValue(i, k);
                    }
                }
                for (int s = 0; s < q; s++) inbox[signalTargets[s]] += signalValues[s];
            }
            case W5 -> {
                double time = frameIndex * CompareSupport.DT;
                for (int i = 0; i < n; i++) {
                    // Per entity, as each bench_layer_pre instance computes it from its own State.
                    float heading = (float) (time * Logic.LAYER_TURN_RATE);
                    world.setVelocity(handles[i], new Vec3((float) Math.cos(heading) * Logic.LAYER_SPEED, 0,
                            (float) Math.sin(heading) * Logic.LAYER_SPEED));
                }
                float[] p = world.rawPositions();
                for (int i = 0; i < n; i++) {
                    float direction = p[i * 3 + 1] > Logic.LAYER_REST_HEIGHT ? -1 : 1;
                    world.translate(handles[i], new Vec3(0, direction * Logic.LAYER_BOB_SPEED * dt, 0));
                }
                world.integrateVelocities(dt);
                float h = Logic.LAYER_HALF_EXTENT;
                for (int i = 0; i < n; i++) {
                    int o = i * 3;
                    if (Math.abs(p[o]) <= h && Math.abs(p[o + 1]) <= h && Math.abs(p[o + 2]) <= h) continue;
                    world.setPosition(handles[i], Vec3.ZERO);
                }
            }
            case W6 -> {
                for (int phase = 0; phase < 3; phase++) {
                    mixPhase(phase, dt);
                    if (phase == 1) world.integrateVelocities(dt); // after the update barrier, as the engine
                }
            }
            case DEMO -> {}
        }
        frameIndex++;
    }

    /**
     * W6, one phase: every instance of the phase's libraries reads positions as they were when
     * the phase began (the engine's scripts read the last published snapshot), then the
     * requests apply in attach order (= entity order), as at the engine's barrier.
     */
    private void mixPhase(int phase, float dt) {
        float[] p = world.rawPositions();
        int per = Logic.MIX_INSTANCES_PER_LIBRARY;
        for (int i = 0; i < n; i++) {
            int library = i / per;
            if (Logic.mixPhase(library) != phase) continue;
            float sx = 0, sz = 0;
            for (int j = 0; j < Logic.MIX_READS; j++) {
                int other = Logic.mixRead(i, j, n);
                sx += p[other * 3] - p[i * 3];
                sz += p[other * 3 + 2] - p[i * 3 + 2];
            }
            Logic.mixOffset(library, sx, sz, dt, offsets, i * 3);
        }
        for (int i = 0; i < n; i++) {
            int library = i / per;
            if (Logic.mixPhase(library) != phase) continue;
            world.translate(handles[i], offsets[i * 3], offsets[i * 3 + 1], offsets[i * 3 + 2]);
            int requests = Logic.mixRequests(library);
            if (requests >= 2) world.setVelocity(handles[i], Logic.mixVelocityX(library), 0, Logic.mixVelocityZ(library));
            if (requests >= 3) {
                float s = Logic.mixScale(library);
                world.setScale(handles[i], s, s, s);
            }
        }
    }

    @Override
    public float[] positions() {
        return CompareSupport.positions(world, workload);
    }

    @Override
    public void close() {}
}
