/*
 * What the standalone harnesses of bench/tools share: 10,000-odd instances of a fresh world
 * (entity i has index i and generation 1), laid out as the engine lays out a batch, and a
 * command buffer of the engine's default size.
 */
#ifndef KILN_BENCH_HARNESS_H
#define KILN_BENCH_HARNESS_H

#include <stdlib.h>
#include <string.h>

#include "kiln.h"

/* n enabled instances with `state_bytes` of State each and the engine's default request quota. */
static inline kiln_instance* harness_instances(int n, size_t state_bytes) {
    kiln_instance* instances = aligned_alloc(64, n * sizeof(kiln_instance));
    uint8_t* states = aligned_alloc(64, n * state_bytes);
    memset(instances, 0, n * sizeof(kiln_instance));
    for (int i = 0; i < n; i++) {
        instances[i].entity = ((uint64_t)1 << 32) | (uint32_t)i;
        instances[i].state = states + i * state_bytes;
        instances[i].instance_id = i + 1;
        instances[i].flags = KILN_INSTANCE_ENABLED;
        instances[i].cmd_quota = 1u << 20; /* the engine's default request quota */
    }
    return instances;
}

/* An empty command buffer of the engine's default 8 MiB. */
static inline kiln_command_buffer harness_buffer(void) {
    kiln_command_buffer buffer = {.struct_version = 2, .capacity_bytes = 8u << 20};
    buffer.data = aligned_alloc(64, buffer.capacity_bytes);
    return buffer;
}

#endif
