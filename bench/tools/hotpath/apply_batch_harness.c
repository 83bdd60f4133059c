/*
 * W1's barrier without the JVM: kiln_apply_batch (native/kiln_apply.c) over 10,000 instances of
 * one TRANSLATE each on its own entity, and the two-pass kiln_collect_ranges + kiln_apply_hot it
 * replaced; prints the best of 2,000 calls in ns per instance. Built and run by run.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../harness.h"
#include "kiln_apply.h"

#define INSTANCES 10000
#define CALLS 2000

int main(void) {
    const int n = INSTANCES;
    uint8_t* data = aligned_alloc(64, n * 32);
    kiln_instance* entries = aligned_alloc(64, n * sizeof(kiln_instance));
    memset(entries, 0, n * sizeof(kiln_instance));
    int64_t* addresses = malloc(8 * n);
    int32_t *ids = malloc(4 * n), *quotas = malloc(4 * n);
    int32_t *offsets = malloc(4 * n), *lengths = malloc(4 * n), *owners = malloc(4 * n), *out_quotas = malloc(4 * n);
    int32_t *refused = malloc(4 * n), *dropped = malloc(4 * n), *java_only = malloc(4 * n);
    int32_t* generations = calloc(n, 4);
    uint8_t *alive = calloc(n, 1), *held = calloc(n, 1), *changes = calloc(n, 1);
    float *positions = calloc(n * 3, 4), *scales = calloc(n * 3, 4), *velocities = calloc(n * 3, 4);
    int32_t* dirty = calloc(n, 4);
    int64_t counters[KILN_APPLY_COUNTERS] = {0}; /* no position table: positions into the rows, as before it */
    kiln_entity_row* rows = calloc(n, sizeof(kiln_entity_row));
    for (int i = 0; i < n; i++) {
        generations[i] = 1;
        alive[i] = 1;
        kiln_cmd_vec3 r = {.header = {.kind = KILN_CMD_TRANSLATE, .size_bytes = 32, .source_instance = i + 1,
                                      .target = ((uint64_t)1 << 32) | (uint32_t)i},
                           .value = {0.01f, 0.02f, 0}};
        memcpy(data + i * 32, &r, 32);
        entries[i].cmd_offset = i * 32;
        entries[i].cmd_bytes = 32;
        addresses[i] = (int64_t)(uintptr_t)&entries[i];
        ids[i] = i + 1;
        quotas[i] = 1 << 20;
    }
    for (int fused = 1; fused >= 0; fused--) {
        double best = 1e18;
        for (int call = 0; call < CALLS; call++) {
            counters[KILN_APPLY_HIGH_WATER] = n;
            double t0 = harness_now_ns();
            if (fused) {
                kiln_apply_batch(data, n * 32, addresses, ids, quotas, NULL, NULL, 0, n, generations, alive, positions, scales,
                                 velocities, held, changes, dirty, counters, rows, n);
            } else {
                int count = kiln_collect_ranges(addresses, ids, quotas, n, offsets, lengths, owners, out_quotas, refused,
                                                dropped, java_only, 0);
                kiln_apply_hot(data, n * 32, offsets, lengths, owners, java_only, 0, count, generations, alive, positions,
                               scales, velocities, held, changes, dirty, counters, rows, n);
            }
            double t = harness_now_ns() - t0;
            if (t < best) best = t;
        }
        printf("%-32s %.2f ns per instance (best of %d calls)\n",
               fused ? "kiln_apply_batch" : "kiln_collect_ranges + apply_hot", best / n, CALLS);
    }
    return counters[KILN_APPLY_APPLIED] == (int64_t)2 * CALLS * n ? 0 : 1;
}
