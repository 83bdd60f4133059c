/*
 * kiln_signals.c — the engine's native signal routing (the data plane's messages).
 *
 * At each dispatch round the engine hands over the barrier's signal queue (SignalBus's arrays),
 * the world's liveness tables and a flat copy of who receives what (SignalRoutes: receivers by
 * entity index in execution order, each receiver's library, liveness and connections), all Java
 * arrays passed through critical FFM downcalls. kiln_signal_route picks each signal's receivers
 * in the order the Java router did (posting order, then the target's execution order) and
 * records every delivery in three int tables; the engine then lays the deliveries out library
 * by library and kiln_signal_write writes each kiln_signal_delivery record (the ABI's 112 bytes)
 * in one pass. Nothing here is script-written memory except what the handlers later write into
 * the records, which the engine reads back through kiln_collect_ranges and validates as always.
 *
 * Broadcasts (target KILN_ENTITY_NULL) are left to the engine: it routes each from its sorted
 * listener lists into the same tables, and calls kiln_signal_route again after it.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kiln.h"
#include "kiln_signals.h"

static inline int is_live_target(uint64_t target, const int32_t* generations, const uint8_t* alive,
                                 int32_t high_water) {
    int32_t index = (int32_t)(uint32_t)target;
    uint32_t generation = (uint32_t)(target >> 32);
    return generation != 0 && index >= 0 && index < high_water && alive[index]
            && (uint32_t)generations[index] == generation;
}

static inline int accepts(int32_t slot, uint64_t name, uint64_t from, const int32_t* conn_first,
                          const int64_t* conn_name, const int64_t* conn_sender) {
    for (int32_t k = conn_first[slot], end = conn_first[slot + 1]; k < end; k++) {
        if ((uint64_t)conn_name[k] == name && (conn_sender[k] == 0 || (uint64_t)conn_sender[k] == from)) return 1;
    }
    return 0;
}

int32_t kiln_signal_route(int32_t from, int32_t queued, const int64_t* sender, const int64_t* target,
                          const int64_t* name_hash, const int32_t* generations, const uint8_t* alive,
                          int32_t high_water, const int32_t* entity_first, int32_t entity_span,
                          const int32_t* entity_slots, const int64_t* slot_entity, const int32_t* slot_lib,
                          const uint8_t* slot_live, const int32_t* conn_first, const int64_t* conn_name,
                          const int64_t* conn_sender, const int32_t* lib_mode, int32_t* lib_count,
                          int32_t* lib_first, int32_t* lib_missed, int32_t* delivery_signal,
                          int32_t* delivery_slot, int32_t* delivery_lib, int32_t capacity, int64_t* counters) {
    int32_t d = (int32_t)counters[KILN_ROUTE_DELIVERIES];
    counters[KILN_ROUTE_NEEDED] = 0;
    int32_t s = from;
    for (; s < queued; s++) {
        uint64_t t = (uint64_t)target[s];
        if (t == KILN_ENTITY_NULL) break; /* a broadcast: the engine's */
        if (!is_live_target(t, generations, alive, high_water)) continue;
        int32_t index = (int32_t)(uint32_t)t;
        if (index >= entity_span) continue; /* no script was ever attached at that index */
        int32_t first = entity_first[index], end = entity_first[index + 1];
        if (end - first > capacity - d) { /* at most that many: all or nothing, so the engine can grow */
            counters[KILN_ROUTE_NEEDED] = end - first;
            break;
        }
        uint64_t name = (uint64_t)name_hash[s], from_entity = (uint64_t)sender[s];
        for (int32_t k = first; k < end; k++) {
            int32_t slot = entity_slots[k];
            if (!slot_live[slot] || (uint64_t)slot_entity[slot] != t) continue;
            if (!accepts(slot, name, from_entity, conn_first, conn_name, conn_sender)) continue;
            int32_t lib = slot_lib[slot];
            int32_t mode = lib_mode[lib];
            if (mode == KILN_ROUTE_LIB_NO_HANDLER) {
                if (lib_missed[lib] == 0) lib_missed[lib] = s + 1;
                continue;
            }
            if (mode != KILN_ROUTE_LIB_DELIVER) continue;
            if (lib_first[lib] < 0) lib_first[lib] = d;
            lib_count[lib]++;
            delivery_signal[d] = s;
            delivery_slot[d] = slot;
            delivery_lib[d] = lib;
            d++;
        }
    }
    counters[KILN_ROUTE_DELIVERIES] = d;
    return s;
}

void kiln_signal_write(int32_t count, const int32_t* delivery_signal, const int32_t* delivery_slot,
                       const int32_t* delivery_lib, int32_t* lib_cursor, uint8_t* block, const int64_t* slot_entity,
                       const int64_t* slot_state, const int32_t* slot_id, const int32_t* slot_quota,
                       const int64_t* sender, const int64_t* target, const int64_t* name_hash,
                       const int64_t* bytes_at, const int32_t* name_len, const int32_t* payload_size,
                       int64_t bytes_base, int32_t* member_slot, int64_t* entry_address, int32_t* entry_id,
                       int32_t* entry_quota) {
    for (int32_t d = 0; d < count; d++) {
        int32_t s = delivery_signal[d], slot = delivery_slot[d];
        int32_t p = lib_cursor[delivery_lib[d]]++;
        kiln_signal_delivery* out = (kiln_signal_delivery*)block + p;
        const uint8_t* name = (const uint8_t*)(uintptr_t)(bytes_base + bytes_at[s]);
        kiln_signal_delivery v = {
            .instance = {
                .entity = (kiln_entity)slot_entity[slot],
                .state = (void*)(uintptr_t)slot_state[slot],
                .instance_id = (uint32_t)slot_id[slot],
                .flags = KILN_INSTANCE_ENABLED,
                .cmd_quota = (uint32_t)slot_quota[slot],
            },
            .signal = {
                .name_hash = (uint64_t)name_hash[s],
                .sender = (kiln_entity)sender[s],
                .target = (kiln_entity)target[s],
                .payload = name + name_len[s],
                .name = (const char*)name,
                .payload_size = (uint32_t)payload_size[s],
                .name_len = (uint32_t)name_len[s],
            },
        };
        memcpy(out, &v, sizeof v); /* one whole-record store: every byte written (reserved zeroed) */
        member_slot[p] = slot;
        entry_address[d] = (int64_t)(uintptr_t)out;
        entry_id[d] = slot_id[slot];
        entry_quota[d] = slot_quota[slot];
    }
}
