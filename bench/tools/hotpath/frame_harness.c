/*
 * W1's frame without the JVM: kiln_script_update of cmp_w1_move over 10,000 instances, then
 * kiln_apply_batch of the records it wrote, alternating as the engine's frame does, so each half
 * finds the cache as the other left it (the two halves' harnesses run alone). Argument 1: the
 * script's .so (run.sh builds it); argument 2, optional: a probe instead of kiln_apply_batch,
 * to see what the barrier's parts cost (docs/performance.md, "W1's two kernels"):
 *   1  the records read as one stream (record i at i * 32, owner ids[i]), no kiln_instance
 *      entries read, rows written;  2  the same without rows;  3  entries read, rows not.
 * Probe 4 is no probe but the own-transform column (abi/kiln.h kiln_own_transform): the frame of
 * struct_version 5 offers it, the SDK writes each mover's TRANSLATE there, kiln_apply_batch
 * applies it. Probe 5 is probe 4 with the signal lane offered too (frame struct_version 6, as the
 * engine offers it to every update call; W1's movers send nothing).
 * The probes check less than kiln_apply_batch and are no apply path: only yardsticks.
 * Prints the best and the mean (second half) of 3,000 frames, ns per entity.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../harness.h"
#include "kiln_apply.h"

#define INSTANCES 10000
#define FRAMES 3000
#define RECORD_BYTES 32

/* Probe 1-3 (see above): a TRANSLATE per instance on its own entity; returns where it stopped. */
static int probe(int which, const uint8_t* data, const int64_t* entries, const int32_t* ids, int n,
                 const int32_t* generations, const uint8_t* alive, float* positions, kiln_entity_row* rows) {
    int64_t at = 0;
    for (int i = 0; i < n; i++, at += RECORD_BYTES) {
        int64_t offset = at;
        if (which == 3) {
            const kiln_instance* e = (const kiln_instance*)(uintptr_t)entries[i];
            if (e->cmd_bytes != RECORD_BYTES || (e->cmd_refused | e->log_dropped) != 0) return i;
            offset = e->cmd_offset;
        }
        const uint8_t* rec = data + offset;
        uint64_t header, target;
        memcpy(&header, rec, 8);
        memcpy(&target, rec + 8, 8);
        if (header != (KILN_CMD_TRANSLATE | ((uint64_t)RECORD_BYTES << 16) | ((uint64_t)(uint32_t)ids[i] << 32))) return i;
        uint32_t index = (uint32_t)target, generation = (uint32_t)(target >> 32);
        if (index >= (uint32_t)n || !alive[index] || (uint32_t)generations[index] != generation) return i;
        float* p = positions + (size_t)index * 3;
        float v[3];
        memcpy(v, rec + 16, sizeof v);
        float x = p[0] + v[0], y = p[1] + v[1], z = p[2] + v[2];
        if (!((x - x) == 0 && (y - y) == 0 && (z - z) == 0)) return i;
        p[0] = x; p[1] = y; p[2] = z;
        if (which != 2) {
            float* row = &rows[index].position.x;
            row[0] = x; row[1] = y; row[2] = z;
        }
    }
    return n;
}

int main(int argc, char** argv) {
    if (argc < 2) return 2;
    int which = argc > 2 ? atoi(argv[2]) : 0;
    harness_script script;
    if (!harness_load_script(argv[1], &script)) return 2;
    const int n = INSTANCES;
    kiln_command_buffer buffer = harness_buffer();
    kiln_frame frame = harness_frame(&buffer);
    kiln_own_transform* own = calloc(INSTANCES, sizeof(kiln_own_transform));
    int64_t* owns = malloc(8 * INSTANCES);
    int32_t* run_ends = malloc(4 * INSTANCES);
    for (int i = 0; i < INSTANCES; i++) {
        owns[i] = (int64_t)(uintptr_t)&own[i];
        run_ends[i] = INSTANCES; /* one library's entries in order */
    }
    kiln_instance* instances = harness_instances(n, 16);
    script.init(&frame, instances, n);
    buffer.used_bytes = 0;
    kiln_signal_lane lane = {.entries = calloc(1024, sizeof(kiln_lane_signal)), .parts = calloc(INSTANCES, sizeof(kiln_lane_part)),
                             .capacity = 1024};
    if (which == 4 || which == 5) {
        frame.struct_version = which == 5 ? 6 : 5;
        frame.own_transforms = own;
        if (which == 5) frame.signal_lane = &lane;
    }
    int64_t* entries = malloc(8 * n);
    int32_t *ids = malloc(4 * n), *quotas = malloc(4 * n), *generations = calloc(n, 4), *dirty = calloc(n, 4);
    uint8_t *alive = calloc(n, 1), *held = calloc(n, 1), *changes = calloc(n, 1);
    float *positions = calloc(n * 3, 4), *scales = calloc(n * 3, 4), *velocities = calloc(n * 3, 4);
    int64_t counters[KILN_APPLY_COUNTERS] = {0};
    /* the snapshot's position table, as the engine publishes it (no library reading the rows' positions) */
    counters[KILN_APPLY_POSITION_TABLE] = (int64_t)(uintptr_t)calloc(n, sizeof(kiln_position_entry));
    counters[KILN_APPLY_ROW_POSITIONS] = 0;
    kiln_entity_row* rows = calloc(n, sizeof(kiln_entity_row));
    for (int i = 0; i < n; i++) {
        generations[i] = 1;
        alive[i] = 1;
        entries[i] = (int64_t)(uintptr_t)&instances[i];
        ids[i] = instances[i].instance_id;
        quotas[i] = (int32_t)instances[i].cmd_quota;
    }
    double best_script = 1e18, best_apply = 1e18, best_frame = 1e18, sum_script = 0, sum_apply = 0;
    for (int f = 0; f < FRAMES; f++) {
        double t0 = harness_now_ns();
        script.update(&frame, instances, n);
        double t1 = harness_now_ns();
        counters[KILN_APPLY_HIGH_WATER] = n;
        int stopped = which && which < 4 ? probe(which, buffer.data, entries, ids, n, generations, alive, positions, rows)
                            : kiln_apply_batch(buffer.data, buffer.capacity_bytes, entries, ids, quotas, which >= 4 ? owns : NULL, run_ends, 0, n, generations,
                                               alive, positions, scales, velocities, held, changes, dirty, counters,
                                               rows, n);
        double t2 = harness_now_ns();
        if (stopped != n) {
            fprintf(stderr, "the apply stopped at instance %d\n", stopped);
            return 1;
        }
        buffer.used_bytes = 0;
        if (t1 - t0 < best_script) best_script = t1 - t0;
        if (t2 - t1 < best_apply) best_apply = t2 - t1;
        if (t2 - t0 < best_frame) best_frame = t2 - t0;
        if (f >= FRAMES / 2) {
            sum_script += t1 - t0;
            sum_apply += t2 - t1;
        }
    }
    printf("script %.2f  apply %.2f  frame %.2f ns per entity (best of %d); mean script %.2f  apply %.2f\n",
           best_script / n, best_apply / n, best_frame / n, FRAMES, sum_script / (FRAMES / 2) / n,
           sum_apply / (FRAMES / 2) / n);
    return 0;
}
