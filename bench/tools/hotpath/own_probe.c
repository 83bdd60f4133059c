/*
 * A yardstick for W1's two halves with the own-transform column (docs/performance.md, "Own
 * transforms"): the script's work written in C with none of the SDK's per-instance protocol
 * (no room check, no status or range stores, no quota), each mover's translate stored into its
 * 16-byte slot, then a barrier that reads the slot and the entity of each 48-byte kiln_instance,
 * checks liveness, generation and finiteness and writes the position and the snapshot row.
 * What the engine's paths would cost with nothing but the work; not an apply path. Prints the
 * best of 3,000 frames at 10,000 instances, ns per entity.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness.h"

#define INSTANCES 10000
#define FRAMES 3000

typedef struct mover { float vx, vz, phase; } mover; /* compare_logic.zig's Mover */

int main(void) {
    const int n = INSTANCES;
    kiln_instance* instances = harness_instances(n, 16);
    kiln_own_transform* own = aligned_alloc(64, n * sizeof(kiln_own_transform));
    memset(own, 0, n * sizeof(kiln_own_transform));
    int32_t* generations = malloc(4 * n);
    uint8_t* alive = malloc(n);
    float* positions = calloc(n * 3, 4);
    kiln_entity_row* rows = aligned_alloc(64, n * sizeof(kiln_entity_row));
    memset(rows, 0, n * sizeof(kiln_entity_row));
    for (int i = 0; i < n; i++) {
        mover* m = instances[i].state;
        m->vx = 1 + (i % 7) * 0.25f;
        m->vz = 0.5f - (i % 5) * 0.25f;
        m->phase = (i % 16) * 0.0625f;
        generations[i] = 1;
        alive[i] = 1;
    }
    const float dt = 1.0f / 60;
    double best_script = 1e18, best_apply = 1e18;
    for (int f = 0; f < FRAMES; f++) {
        double t0 = harness_now_ns();
        for (int i = 0; i < n; i++) {
            mover* m = instances[i].state;
            float p = m->phase + dt;
            if (p >= 1.0f) p -= 1.0f;
            m->phase = p;
            float wobble = (__builtin_fabsf(p * 2 - 1) - 0.5f) * 0.1f;
            float x = m->vx * dt, y = wobble * dt, z = m->vz * dt;
            if (!((x - x) + (y - y) + (z - z) == 0)) return 1;
            own[i] = (kiln_own_transform){{x, y, z}, KILN_CMD_TRANSLATE};
        }
        double t1 = harness_now_ns();
        for (int i = 0; i < n; i++) {
            kiln_own_transform* o = &own[i];
            if (o->kind != KILN_CMD_TRANSLATE) continue;
            uint64_t target = instances[i].entity;
            uint32_t index = (uint32_t)target, generation = (uint32_t)(target >> 32);
            if (index >= (uint32_t)n || !alive[index] || (uint32_t)generations[index] != generation) return 1;
            float* q = positions + (size_t)index * 3;
            float x = q[0] + o->value.x, y = q[1] + o->value.y, z = q[2] + o->value.z;
            if (!((x - x) == 0 && (y - y) == 0 && (z - z) == 0)) return 1;
            q[0] = x; q[1] = y; q[2] = z;
            rows[index].position = (kiln_vec3){x, y, z};
            o->kind = 0;
        }
        double t2 = harness_now_ns();
        if (t1 - t0 < best_script) best_script = t1 - t0;
        if (t2 - t1 < best_apply) best_apply = t2 - t1;
    }
    printf("own probe: script %.2f  apply %.2f  frame %.2f ns per entity (best of %d)\n", best_script / n,
           best_apply / n, (best_script + best_apply) / n, FRAMES);
    return 0;
}
