/*
 * W1's script side without the JVM: one kiln_script_update call over 10,000 instances of a
 * script library (argument 1: its .so, built by run.sh from the tree's SDK and
 * bench/zig/compare/cmp_w1_move.zig); prints the best of 2,000 calls in ns per update.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../harness.h"
#include "kiln.h"

#define INSTANCES 10000
#define CALLS 2000

typedef kiln_status (*batch_fn)(const kiln_frame*, kiln_instance*, uint32_t);

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
    kiln_command_buffer buffer = harness_buffer();
    kiln_frame frame = {.abi_version = KILN_ABI_VERSION, .struct_version = 3, .struct_size = sizeof frame,
                        .delta_time = 1.0 / 60, .commands = &buffer};
    kiln_instance* instances = harness_instances(n, 32);
    init(&frame, instances, n);
    buffer.used_bytes = 0;
    double best = 1e18;
    for (int call = 0; call < CALLS; call++) {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        update(&frame, instances, n);
        clock_gettime(CLOCK_MONOTONIC, &b);
        double t = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
        if (t < best) best = t;
        buffer.used_bytes = 0;
    }
    printf("kiln_script_update (W1)          %.2f ns per update (best of %d calls)\n", best / n, CALLS);
    return instances[n - 1].cmd_bytes == 32 ? 0 : 1;
}
