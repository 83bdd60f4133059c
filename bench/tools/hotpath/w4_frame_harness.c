/*
 * W4's frame without the JVM: the three native passes of a lane round, as the engine runs them at
 * 10,000 instances of cmp_w4_signals (one library, one script per entity, each connected to
 * "ping"): kiln_script_update (each instance's own translate into the own-transform column and
 * its ten signals into the signal lane), kiln_signal_route_lane (the lane routed in place from the
 * route tables, every route handle known live, as the engine's tables hold them for this scene),
 * then kiln_script_signal_lane (the handler loop over the deliveries). The engine's Java between
 * the passes (binding, the barrier's own-transform run, publishing) is left out. Argument 1: the
 * script's .so (run.sh builds it); argument 2, optional: frames (default 2,000). Prints the best
 * and the mean (second half) of each pass, ns per signal, and a checksum of the States.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness.h"
#include "kiln_signals.h"

#define INSTANCES 10000
#define SIGNALS_PER_ENTITY 10

static uint64_t fnv1a64(const char* s) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *s; s++) h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
    return h;
}

typedef kiln_status (*lane_fn)(const kiln_frame*, kiln_signal_batch*, uint32_t);

int main(int argc, char** argv) {
    if (argc < 2) return 2;
    const int frames = argc > 2 ? atoi(argv[2]) : 2000;
    harness_script script;
    if (!harness_load_script(argv[1], &script)) return 2;
    lane_fn handle_lane = (lane_fn)dlsym(dlopen(argv[1], RTLD_NOW), KILN_EXPORT_SIGNAL_LANE);
    if (handle_lane == NULL) return 2;
    const int n = INSTANCES;
    const uint64_t ping = fnv1a64("ping");

    /* the snapshot: every entity live (generation 1), all tagged "w4" */
    uint32_t* live = malloc(4 * n);
    kiln_entity* tagged = malloc(8 * n);
    for (int i = 0; i < n; i++) {
        live[i] = 1;
        tagged[i] = ((uint64_t)1 << 32) | (uint32_t)i;
    }
    kiln_tag_bucket bucket = {.tag_hash = fnv1a64("w4"), .first = 0, .count = n};
    kiln_snapshot snap = {.struct_version = 2, .struct_size = sizeof snap, .entity_capacity = n,
                          .tag_bucket_count = 1, .tag_buckets = &bucket, .tag_entities = tagged,
                          .live_generations = live};
    kiln_command_buffer buffer = harness_buffer();
    kiln_frame frame = harness_frame(&buffer);
    frame.snapshot = &snap;
    kiln_instance* instances = harness_instances(n, 16);
    script.init(&frame, instances, n); /* connects "ping": records the harness drops */
    buffer.used_bytes = 0;

    /* the update call's columns (frame struct_version 6) */
    const uint32_t lane_capacity = n * SIGNALS_PER_ENTITY;
    kiln_own_transform* own = aligned_alloc(64, n * sizeof(kiln_own_transform));
    kiln_lane_part* parts = aligned_alloc(64, n * sizeof(kiln_lane_part));
    kiln_signal_lane lane = {.entries = aligned_alloc(64, lane_capacity * sizeof(kiln_lane_signal)), .parts = parts,
                             .capacity = lane_capacity};
    frame.struct_version = 6;
    frame.own_transforms = own;
    frame.signal_lane = &lane;

    /* the queue's sender table (by id) and the bound lanes, as the engine binds them for the round */
    int64_t* entity_by_id = calloc(n + 1, 8);
    int32_t *ids = malloc(4 * n), *quotas = malloc(4 * n);
    int64_t* part_at = malloc(8 * n);
    for (int i = 0; i < n; i++) {
        entity_by_id[instances[i].instance_id] = (int64_t)instances[i].entity;
        ids[i] = (int32_t)instances[i].instance_id;
        quotas[i] = (int32_t)instances[i].cmd_quota;
        part_at[i] = (int64_t)(uintptr_t)&parts[i];
    }
    kiln_signal_queue queue = {.senders = n, .id_span = n + 1, .entity_by_id = entity_by_id};
    kiln_lane_binding binding = {.entries = lane.entries, .parts = part_at, .capacity = lane_capacity, .count = n};

    /* the route tables: entity i's one script is slot i of library 0, connected to "ping" from anyone */
    int32_t *entity_first = malloc(4 * (n + 1)), *entity_slots = malloc(4 * n), *slot_lib = calloc(n, 4);
    int64_t *entity_route = malloc(8 * KILN_ROUTE_ENTITY_WIDTH * n), *slot_entity = malloc(8 * n);
    int32_t* conn_first = malloc(4 * (n + 1));
    int64_t *conn_name = malloc(8 * n), *conn_sender = calloc(n, 8);
    uint8_t* slot_live = malloc(n);
    int32_t *generations = malloc(4 * n), lib_mode[1] = {KILN_ROUTE_LIB_DELIVER}, lib_slot_first[2] = {0, n};
    uint8_t *alive = malloc(n), lib_lane[1] = {1};
    for (int i = 0; i <= n; i++) {
        entity_first[i] = i;
        conn_first[i] = i;
    }
    for (int i = 0; i < n; i++) {
        entity_slots[i] = i;
        slot_entity[i] = (int64_t)instances[i].entity;
        slot_live[i] = 1;
        conn_name[i] = (int64_t)ping;
        generations[i] = 1;
        alive[i] = 1;
        int64_t* line = entity_route + KILN_ROUTE_ENTITY_WIDTH * i;
        line[0] = (int64_t)instances[i].entity;
        line[1] = (int64_t)ping;
        line[2] = 0;
        line[3] = i; /* slot i, library 0 */
    }
    kiln_lane_delivery* deliveries = aligned_alloc(64, lane_capacity * sizeof(kiln_lane_delivery));
    int32_t* delivery_slot = malloc(4 * lane_capacity);
    kiln_instance* receivers = aligned_alloc(64, n * sizeof(kiln_instance));
    kiln_signal_outcome* outcomes = malloc(lane_capacity * sizeof(kiln_signal_outcome));

    double best[3] = {1e18, 1e18, 1e18}, sum[3] = {0, 0, 0};
    for (int f = 0; f < frames; f++) {
        memset(own, 0, n * sizeof(kiln_own_transform));
        memset(parts, 0, n * sizeof(kiln_lane_part));
        lane.used = 0;
        buffer.used_bytes = 0;
        double t0 = harness_now_ns();
        if (script.update(&frame, instances, n) != KILN_OK) return 1;
        double t1 = harness_now_ns();
        kiln_signals_bind(&queue);
        kiln_lanes_bind(&binding);
        int64_t counters[KILN_ROUTE_BATCH_COUNTERS] = {0};
        counters[KILN_ROUTE_LIBRARY] = -1;
        counters[KILN_ROUTE_TARGETS_LIVE] = 1;
        int32_t routed = kiln_signal_route_lane(0, n, ids, quotas, generations, alive, n, entity_first, n, entity_slots,
                                                entity_route, slot_entity, slot_lib, slot_live, conn_first, conn_name,
                                                conn_sender, lib_mode, lib_lane, lib_slot_first, deliveries, delivery_slot,
                                                (int32_t)lane_capacity, counters);
        kiln_lanes_bind(NULL);
        kiln_signals_bind(NULL);
        double t2 = harness_now_ns();
        if (routed != n || counters[KILN_ROUTE_MIXED] != 0) {
            fprintf(stderr, "the lane route stopped at instance %d\n", routed);
            return 1;
        }
        const uint32_t total = (uint32_t)counters[KILN_ROUTE_DELIVERIES];
        memcpy(receivers, instances, n * sizeof(kiln_instance)); /* the route tables' block: outputs scratch */
        kiln_signal_batch batch = {.struct_version = KILN_SIGNAL_BATCH_STRUCT_VERSION, .struct_size = sizeof batch,
                                   .count = total, .receivers = receivers, .outcomes = outcomes,
                                   .receiver_count = (uint32_t)n, .deliveries = deliveries};
        double t3 = harness_now_ns();
        if (handle_lane(&frame, &batch, total) != KILN_OK || batch.outcome_count != 0) return 1;
        double t4 = harness_now_ns();
        const double part[3] = {t1 - t0, t2 - t1, t4 - t3};
        for (int k = 0; k < 3; k++) {
            if (part[k] < best[k]) best[k] = part[k];
            if (f >= frames / 2) sum[k] += part[k];
        }
    }
    double checksum = 0;
    for (int i = 0; i < n; i++) checksum += *(const float*)instances[i].state;
    const double signals = (double)n * SIGNALS_PER_ENTITY, half = frames - frames / 2;
    printf("update %.2f  route %.2f  handlers %.2f  ns per signal (best of %d); mean %.2f  %.2f  %.2f; checksum %.3f\n",
           best[0] / signals, best[1] / signals, best[2] / signals, frames, sum[0] / half / signals,
           sum[1] / half / signals, sum[2] / half / signals, checksum);
    return 0;
}
