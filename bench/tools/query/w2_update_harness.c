/*
 * W2's script side without the JVM: one kiln_script_update call over 10,000 instances of
 * cmp_w2_boids (argument 1: its .so, built by run.sh from the tree's SDK), each querying its
 * neighbours in a snapshot laid out as the engine publishes W2's world (10,000 rows 2 units
 * apart in the XZ plane, 4-unit cells, SpatialGrid.java's bucket count). Prints the best of
 * 300 calls in ns per update.
 */
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../harness.h"
#include "kiln.h"

#define INSTANCES 10000
#define SIDE 100
#define SPACING 2.0f
#define CELL 4.0f
#define BUCKETS 32768u /* highestOneBit(max(64, 2n - 1)) << 1 */
#define CALLS 300

typedef kiln_status (*batch_fn)(const kiln_frame*, kiln_instance*, uint32_t);

static uint32_t bucket_of(kiln_vec3 p) {
    int32_t cx = (int32_t)floorf(p.x / CELL), cy = (int32_t)floorf(p.y / CELL), cz = (int32_t)floorf(p.z / CELL);
    return kiln_cell_hash(cx, cy, cz) & (BUCKETS - 1);
}

int main(int argc, char** argv) {
    if (argc < 2) return 2;
    void* lib = dlopen(argv[1], RTLD_NOW);
    if (!lib) {
        fprintf(stderr, "%s\n", dlerror());
        return 2;
    }
    batch_fn init = (batch_fn)dlsym(lib, "kiln_script_init");
    batch_fn update = (batch_fn)dlsym(lib, "kiln_script_update");
    const int n = INSTANCES;
    kiln_entity_row* rows = aligned_alloc(64, n * sizeof(kiln_entity_row));
    memset(rows, 0, n * sizeof(kiln_entity_row));
    for (int i = 0; i < n; i++) {
        rows[i].generation = 1;
        rows[i].flags = KILN_ROW_ALIVE;
        rows[i].position = (kiln_vec3){(i % SIDE) * SPACING, 0, (i / SIDE) * SPACING};
        rows[i].rotation.w = 1;
        rows[i].scale = (kiln_vec3){1, 1, 1};
    }
    uint32_t* start = calloc(BUCKETS + 1, sizeof(uint32_t));
    uint32_t* cursor = malloc(BUCKETS * sizeof(uint32_t));
    uint32_t* members = malloc(n * sizeof(uint32_t));
    for (int i = 0; i < n; i++) start[bucket_of(rows[i].position) + 1]++;
    for (uint32_t b = 0; b < BUCKETS; b++) start[b + 1] += start[b];
    memcpy(cursor, start, BUCKETS * sizeof(uint32_t));
    for (int i = 0; i < n; i++) members[cursor[bucket_of(rows[i].position)]++] = (uint32_t)i;
    kiln_snapshot snapshot = {.struct_version = KILN_SNAPSHOT_STRUCT_VERSION, .struct_size = sizeof snapshot,
                              .entity_capacity = (uint32_t)n, .entities = rows};
    snapshot.grid = (kiln_spatial_grid){.cell_size = CELL, .bucket_count = BUCKETS, .bucket_start = start,
                                        .bucket_entities = members, .entity_count = (uint32_t)n, .valid = 1};
    kiln_command_buffer buffer = harness_buffer();
    kiln_frame frame = {.abi_version = KILN_ABI_VERSION, .struct_version = 3, .struct_size = sizeof frame,
                        .delta_time = 1.0 / 60, .snapshot = &snapshot, .commands = &buffer};
    kiln_instance* instances = harness_instances(n, 64);
    init(&frame, instances, n);
    buffer.used_bytes = 0;
    double best = 1e18;
    for (int call = 0; call < CALLS; call++) {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        kiln_status status = update(&frame, instances, n);
        clock_gettime(CLOCK_MONOTONIC, &b);
        if (status != KILN_OK || buffer.used_bytes != 32u * n) {
            fprintf(stderr, "update returned %d with %u bytes of records\n", status, buffer.used_bytes);
            return 1;
        }
        double t = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
        if (t < best) best = t;
        buffer.used_bytes = 0;
    }
    printf("kiln_script_update (W2)          %.2f ns per update (best of %d calls)\n", best / n, CALLS);
    return 0;
}
