/*
 * W3's frame without the JVM (docs/performance.md, "W3: ..."): ten instances of
 * bench/zig/compare/cmp_w3_spawner (argument 1: its .so, built by run.sh from the tree's SDK)
 * run their update batch call, then native/kiln_churn.c applies their ten ranges in one
 * kiln_churn_apply_ranges call, as the engine's update barrier does, and the spawn results
 * are published as the engine publishes them (this frame's and the last frame's). Prints the
 * best and the median frame of 20,000 (after 2,000 of warm-up) for the script call and for the
 * churn pass apart: the two native halves of W3's frame, without the Java around them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness.h"
#include "kiln.h"
#include "kiln_churn.h"

enum { SPAWNERS = 10, PER_SPAWNER = 100, CAPACITY = 4096, WARM = 2000, FRAMES = 20000 };
/* The spawn-result table: two frames' results and room for one more before it is compacted. */
enum { RESULTS_MAX = 8 * SPAWNERS * PER_SPAWNER };
/* sizeof the spawner's State: 100 pending handles and a count, padded to 8 */
enum { STATE_BYTES = PER_SPAWNER * 8 + 8 };

static int32_t generations[CAPACITY];
static uint8_t alive[CAPACITY], extras[CAPACITY], held[CAPACITY], changes[CAPACITY];
static float positions[CAPACITY * 3], rotations[CAPACITY * 4], scales[CAPACITY * 3], velocities[CAPACITY * 3];
static int32_t dirty[CAPACITY], free_list[CAPACITY];
static kiln_entity_row rows[CAPACITY];
static uint32_t live_generations[CAPACITY];
static kiln_position_entry position_table[CAPACITY]; /* kiln_snapshot.positions, which the pass keeps current */
static kiln_spawn_result results[RESULTS_MAX];
static double script_ns[FRAMES], churn_ns[FRAMES];

static int by_value(const void* a, const void* b) {
    double x = *(const double*)a, y = *(const double*)b;
    return (x > y) - (x < y);
}

int main(int argc, char** argv) {
    if (argc < 2) return 2;
    harness_script script;
    if (!harness_load_script(argv[1], &script)) return 2;
    kiln_command_buffer buffer = harness_buffer();
    buffer.struct_version = KILN_COMMAND_BUFFER_STRUCT_VERSION; /* SPAWN_AT understood */
    kiln_snapshot snapshot = {.struct_version = KILN_SNAPSHOT_STRUCT_VERSION, .struct_size = sizeof snapshot,
                              .entity_capacity = CAPACITY, .entities = rows, .live_generations = live_generations,
                              .spawn_results = results, .positions = position_table};
    kiln_frame frame = harness_frame(&buffer);
    frame.snapshot = &snapshot;
    kiln_instance* instances = harness_instances(SPAWNERS, STATE_BYTES);
    /* the spawners are entities 0..9, generation 1, as harness_instances names them */
    int64_t counters[KILN_CHURN_COUNTERS] = {0};
    for (int i = 0; i < SPAWNERS; i++) {
        generations[i] = 1;
        alive[i] = 1;
        rows[i].generation = 1;
        rows[i].flags = KILN_ROW_ALIVE;
        live_generations[i] = 1;
        position_table[i].generation = 1;
    }
    counters[KILN_CHURN_HIGH_WATER] = SPAWNERS;
    counters[KILN_CHURN_ALIVE_COUNT] = SPAWNERS;
    counters[KILN_CHURN_CAPACITY] = CAPACITY;
    counters[KILN_CHURN_ENTITIES_MAX] = 1 << 22;
    counters[KILN_CHURN_LAST_ID] = -1;
    counters[KILN_CHURN_POSITION_TABLE] = (int64_t)(uintptr_t)position_table;
    script.init(&frame, instances, SPAWNERS);
    int64_t start = 0, tail = 0, last_frame_start = 0; /* results [start, tail) are published */
    int64_t spans[3 * SPAWNERS];
    int64_t records = 0; /* records the last frame's pass applied */
    for (int f = 0; f < WARM + FRAMES; f++) {
        buffer.used_bytes = 0;
        frame.frame_index = (uint64_t)f;
        frame.phase = KILN_PHASE_UPDATE;
        double t0 = harness_now_ns();
        script.update(&frame, instances, SPAWNERS);
        double t1 = harness_now_ns();
        for (int i = 0; i < SPAWNERS; i++) {
            spans[3 * i] = instances[i].cmd_offset;
            spans[3 * i + 1] = (int64_t)instances[i].cmd_offset + instances[i].cmd_bytes;
            spans[3 * i + 2] = instances[i].instance_id;
        }
        /* the results of frames before the last dropped; compacted when the next frame's may not fit */
        start = last_frame_start;
        if (tail + SPAWNERS * PER_SPAWNER > RESULTS_MAX) {
            memmove(results, results + start, (size_t)(tail - start) * sizeof results[0]);
            tail -= start;
            start = 0;
        }
        last_frame_start = tail;
        counters[KILN_CHURN_SPAWNED] = tail;
        counters[KILN_CHURN_SPAWNED_CAPACITY] = RESULTS_MAX;
        counters[KILN_CHURN_DIRTY_COUNT] = 0; /* the publisher's drain */
        int64_t applied_before = counters[KILN_CHURN_APPLIED];
        double t2 = harness_now_ns();
        int32_t done = kiln_churn_apply_ranges(buffer.data, buffer.capacity_bytes, spans, SPAWNERS, generations, alive,
                                               extras, positions, rotations, scales, velocities, held, changes, dirty,
                                               free_list, counters, (int64_t*)results, rows, live_generations,
                                               CAPACITY);
        double t3 = harness_now_ns();
        if (done != SPAWNERS) {
            fprintf(stderr, "frame %d: range %d stopped at %lld\n", f, done, (long long)counters[KILN_CHURN_STOP]);
            return 1;
        }
        tail = counters[KILN_CHURN_SPAWNED];
        records = counters[KILN_CHURN_APPLIED] - applied_before;
        snapshot.spawn_results = results + start;
        snapshot.spawn_result_count = (uint32_t)(tail - start);
        if (f >= WARM) {
            script_ns[f - WARM] = t1 - t0;
            churn_ns[f - WARM] = t3 - t2;
        }
    }
    qsort(script_ns, FRAMES, sizeof(double), by_value);
    qsort(churn_ns, FRAMES, sizeof(double), by_value);
    printf("W3 frame: script update %.2f us best, %.2f median; churn pass %.2f us best, %.2f median (%d records a frame)\n",
           script_ns[0] / 1e3, script_ns[FRAMES / 2] / 1e3, churn_ns[0] / 1e3, churn_ns[FRAMES / 2] / 1e3,
           (int)records);
    return counters[KILN_CHURN_ALIVE_COUNT] == SPAWNERS + SPAWNERS * PER_SPAWNER ? 0 : 1;
}
