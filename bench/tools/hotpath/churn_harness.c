/*
 * W3's barrier without the JVM (docs/performance.md, "Native churn"): kiln_churn_apply over ten
 * ranges of 200 DESPAWNs (last frame's entities) then 200 plain SPAWNs each, as the spawner
 * scripts write them, rows published; prints the best frame of 3,000 and ns per record. Built
 * and run by run.sh with native/kiln_churn.c as the engine builds it.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kiln.h"
#include "kiln_churn.h"

enum { SPAWNERS = 10, PER_SPAWNER = 200, CAPACITY = 4096, FRAMES = 3000 };
enum { RANGE_BYTES = PER_SPAWNER * (16 + 72) };

/* 72: the spawns as SPAWN records; 40: as SPAWN_AT (what the SDK posts for a bare entity) */
static int spawn_bytes = 72;

static int32_t generations[CAPACITY];
static uint8_t alive[CAPACITY], extras[CAPACITY], held[CAPACITY], changes[CAPACITY];
static float positions[CAPACITY * 3], rotations[CAPACITY * 4], scales[CAPACITY * 3], velocities[CAPACITY * 3];
static int32_t dirty[CAPACITY], free_list[CAPACITY];
static kiln_entity_row rows[CAPACITY];
static uint32_t live_generations[CAPACITY]; /* kiln_snapshot.live_generations beside the rows */
static int64_t results[2 * SPAWNERS * PER_SPAWNER]; /* the spawn-result table, refilled every frame */
static _Alignas(8) uint8_t data[SPAWNERS * RANGE_BYTES];
static uint64_t handles[SPAWNERS][PER_SPAWNER];

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

/* One spawner's range: despawns of its last spawns (none in frame 0), then its spawns. */
static int64_t write_range(int64_t at, int spawner, int frame) {
    for (int k = 0; frame > 0 && k < PER_SPAWNER; k++, at += 16) {
        uint8_t* r = data + at;
        uint16_t kind = KILN_CMD_DESPAWN, size = 16;
        int32_t source = spawner + 1;
        memcpy(r, &kind, 2); memcpy(r + 2, &size, 2); memcpy(r + 4, &source, 4);
        memcpy(r + 8, &handles[spawner][k], 8);
    }
    for (int k = 0; k < PER_SPAWNER; k++, at += spawn_bytes) {
        uint8_t* r = data + at;
        memset(r, 0, spawn_bytes);
        uint16_t kind = spawn_bytes == 72 ? KILN_CMD_SPAWN : KILN_CMD_SPAWN_AT, size = (uint16_t)spawn_bytes;
        int32_t source = spawner + 1;
        uint64_t pending = ((uint64_t)0xFFFFFFFFu << 32) | (uint32_t)(frame * 2000 + spawner * 200 + k + 1);
        uint64_t id = (uint32_t)pending;
        float v[10] = {(float)k, (float)spawner, (float)(frame & 7), 0, 0, 0, 1, 1, 1, 1};
        memcpy(r, &kind, 2); memcpy(r + 2, &size, 2); memcpy(r + 4, &source, 4);
        memcpy(r + 8, &pending, 8); memcpy(r + 16, &id, 8);
        memcpy(r + 24, v, spawn_bytes == 72 ? sizeof v : 12);
    }
    return at;
}

static int run(void) {
    int64_t counters[KILN_CHURN_COUNTERS] = {0};
    memset(generations, 0, sizeof generations);
    memset(alive, 0, sizeof alive);
    counters[KILN_CHURN_CAPACITY] = CAPACITY;
    counters[KILN_CHURN_ENTITIES_MAX] = 1 << 22;
    counters[KILN_CHURN_SPAWNED_CAPACITY] = SPAWNERS * PER_SPAWNER;
    double best = 1e30;
    for (int frame = 0; frame < FRAMES; frame++) {
        int64_t starts[SPAWNERS + 1], at = 0;
        for (int s = 0; s < SPAWNERS; s++) {
            starts[s] = at;
            at = write_range(at, s, frame);
        }
        starts[SPAWNERS] = at;
        counters[KILN_CHURN_DIRTY_COUNT] = 0; /* the publisher's drain */
        counters[KILN_CHURN_SPAWNED] = 0;      /* last frame's results dropped */
        counters[KILN_CHURN_LAST_ID] = -1;
        double t0 = now_ns();
        for (int s = 0; s < SPAWNERS; s++) {
            int64_t stop = kiln_churn_apply(data, sizeof data, starts[s], starts[s + 1], s + 1, generations, alive,
                                            extras, positions, rotations, scales, velocities, held, changes, dirty,
                                            free_list, counters, results, rows, live_generations, CAPACITY);
            if (stop != starts[s + 1]) {
                fprintf(stderr, "frame %d: range %d stopped at %lld\n", frame, s, (long long)stop);
                return 1;
            }
            for (int k = 0; k < PER_SPAWNER; k++) handles[s][k] = (uint64_t)results[2 * (s * PER_SPAWNER + k) + 1];
        }
        double t = now_ns() - t0;
        if (frame > 10 && t < best) best = t;
    }
    int records = SPAWNERS * PER_SPAWNER * 2;
    printf("kiln_churn_apply: best frame %.1f us, %.2f ns per record (%d spawns and despawns, %s)\n", best / 1e3,
           best / records, records, spawn_bytes == 72 ? "SPAWN" : "SPAWN_AT");
    return 0;
}

int main(void) {
    if (run() != 0) return 1;
    spawn_bytes = 40;
    return run();
}
