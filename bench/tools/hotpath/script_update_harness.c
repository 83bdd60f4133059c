/*
 * W1's script side without the JVM: one kiln_script_update call over 10,000 instances of a
 * script library (argument 1: its .so, built by run.sh from the tree's SDK and
 * bench/zig/compare/cmp_w1_move.zig); prints the best of 2,000 calls in ns per update.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../harness.h"
#include "kiln.h"

#define INSTANCES 10000
#define CALLS 2000

int main(int argc, char** argv) {
    if (argc < 2) return 2;
    harness_script script;
    if (!harness_load_script(argv[1], &script)) return 2;
    const int n = INSTANCES;
    kiln_command_buffer buffer = harness_buffer();
    kiln_frame frame = harness_frame(&buffer);
    kiln_instance* instances = harness_instances(n, 32);
    script.init(&frame, instances, n);
    buffer.used_bytes = 0;
    double best = 1e18;
    for (int call = 0; call < CALLS; call++) {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        script.update(&frame, instances, n);
        clock_gettime(CLOCK_MONOTONIC, &b);
        double t = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
        if (t < best) best = t;
        buffer.used_bytes = 0;
    }
    printf("kiln_script_update (W1)          %.2f ns per update (best of %d calls)\n", best / n, CALLS);
    return instances[n - 1].cmd_bytes == 32 ? 0 : 1;
}
