/*
 * What the standalone harnesses of bench/tools share: 10,000-odd instances of a fresh world
 * (entity i has index i and generation 1), laid out as the engine lays out a batch, and a
 * command buffer of the engine's default size.
 */
#ifndef KILN_BENCH_HARNESS_H
#define KILN_BENCH_HARNESS_H

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiln.h"

/* Monotonic time in nanoseconds. */
static inline double harness_now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

typedef kiln_status (*harness_batch_fn)(const kiln_frame*, kiln_instance*, uint32_t);

/* A script library's init and update batch exports (link with -ldl). */
typedef struct harness_script {
    harness_batch_fn init;
    harness_batch_fn update;
} harness_script;

/* Loads the script library at `path` (never unloaded); 0, with the reason on stderr, when it does not load. */
static inline int harness_load_script(const char* path, harness_script* out) {
    void* lib = dlopen(path, RTLD_NOW);
    if (!lib) {
        fprintf(stderr, "%s\n", dlerror());
        return 0;
    }
    out->init = (harness_batch_fn)dlsym(lib, "kiln_script_init");
    out->update = (harness_batch_fn)dlsym(lib, "kiln_script_update");
    return out->init != NULL && out->update != NULL;
}

/* A frame as the engine's of struct version 3 at 60 frames a second, over `buffer`. */
static inline kiln_frame harness_frame(kiln_command_buffer* buffer) {
    kiln_frame frame = {.abi_version = KILN_ABI_VERSION, .struct_version = 3, .struct_size = sizeof frame,
                        .delta_time = 1.0 / 60, .commands = buffer};
    return frame;
}

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
