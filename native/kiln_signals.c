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
#include "kiln_avx.h"
#include "kiln_signals.h"

static inline int is_live_target(uint64_t target, const int32_t* generations, const uint8_t* alive,
                                 int32_t high_water) {
    int32_t index = (int32_t)(uint32_t)target;
    uint32_t generation = (uint32_t)(target >> 32);
    return generation != 0 && index >= 0 && index < high_water && alive[index]
            && (uint32_t)generations[index] == generation;
}

/* The entity index a targeted signal to t may have receivers at: -1 when t is not a live entity of
 * the world or no script was ever attached at its index (entity_span). */
static inline int32_t receiving_index(uint64_t t, const int32_t* generations, const uint8_t* alive, int32_t high_water,
                                      int32_t entity_span) {
    if (!is_live_target(t, generations, alive, high_water)) return -1;
    int32_t index = (int32_t)(uint32_t)t;
    return index < entity_span ? index : -1;
}

static inline int accepts(int32_t slot, uint64_t name, uint64_t from, const int32_t* conn_first,
                          const int64_t* conn_name, const int64_t* conn_sender) {
    for (int32_t k = conn_first[slot], end = conn_first[slot + 1]; k < end; k++) {
        if ((uint64_t)conn_name[k] == name && (conn_sender[k] == 0 || (uint64_t)conn_sender[k] == from)) return 1;
    }
    return 0;
}

int32_t kiln_signal_route(int32_t from, int32_t until, const kiln_signal_queue* queue, const int32_t* generations,
                          const uint8_t* alive,
                          int32_t high_water, const int32_t* entity_first, int32_t entity_span,
                          const int32_t* entity_slots, const int64_t* slot_entity, const int32_t* slot_lib,
                          const uint8_t* slot_live, const int32_t* conn_first, const int64_t* conn_name,
                          const int64_t* conn_sender, const int32_t* lib_mode, int32_t* lib_count,
                          int32_t* lib_first, int32_t* lib_missed, int32_t* delivery_signal,
                          int32_t* delivery_slot, int32_t* delivery_lib, int32_t capacity, int64_t* counters) {
    kiln_avx_clear_upper();
    int32_t d = (int32_t)counters[KILN_ROUTE_DELIVERIES];
    counters[KILN_ROUTE_NEEDED] = 0;
    const int64_t* sender = queue->sender;
    const int64_t* target = queue->target;
    const int64_t* name_hash = queue->name_hash;
    const int32_t queued = until < queue->count ? until : queue->count;
    int32_t s = from;
    for (; s < queued; s++) {
        uint64_t t = (uint64_t)target[s];
        if (t == KILN_ENTITY_NULL) break; /* a broadcast: the engine's */
        int32_t index = receiving_index(t, generations, alive, high_water, entity_span);
        if (index < 0) continue;
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

/* The receiver's kiln_instance as the batch gives it (outputs zeroed: the loop writes them). */
static inline void write_receiver(kiln_instance* out, int32_t slot, const int64_t* slot_entity,
                                  const int64_t* slot_state, const int32_t* slot_id, const int32_t* slot_quota) {
    kiln_instance v = {
        .entity = (kiln_entity)slot_entity[slot],
        .state = (void*)(uintptr_t)slot_state[slot],
        .instance_id = (uint32_t)slot_id[slot],
        .flags = KILN_INSTANCE_ENABLED,
        .cmd_quota = (uint32_t)slot_quota[slot],
    };
    memcpy(out, &v, sizeof v);
}

/* The receiver number of slot in this round (stamp), its kiln_instance written at receivers + its number the
 * first time: each receiving instance appears once in a batch however many signals it gets. */
static inline int32_t receiver_number(int32_t slot, int32_t* next, int32_t* slot_stamp, int32_t* slot_receiver,
                                      int32_t stamp, kiln_instance* receivers, const int64_t* slot_entity,
                                      const int64_t* slot_state, const int32_t* slot_id, const int32_t* slot_quota) {
    if (slot_stamp[slot] == stamp) return slot_receiver[slot];
    int32_t r = (*next)++;
    slot_stamp[slot] = stamp;
    slot_receiver[slot] = r;
    write_receiver(receivers + r, slot, slot_entity, slot_state, slot_id, slot_quota);
    return r;
}

/* Delivery d of signal s to slot as the ABI's 112-byte record at out (every byte written). */
static inline void write_delivery(kiln_signal_delivery* out, int32_t s, int32_t slot, const int64_t* slot_entity,
                                  const int64_t* slot_state, const int32_t* slot_id, const int32_t* slot_quota,
                                  const kiln_signal_queue* queue) {
    const uint8_t* name = queue->bytes + queue->bytes_at[s];
    const int32_t name_len = queue->name_len[s];
    kiln_signal_delivery v = {
        .instance = {
            .entity = (kiln_entity)slot_entity[slot],
            .state = (void*)(uintptr_t)slot_state[slot],
            .instance_id = (uint32_t)slot_id[slot],
            .flags = KILN_INSTANCE_ENABLED,
            .cmd_quota = (uint32_t)slot_quota[slot],
        },
        .signal = {
            .name_hash = (uint64_t)queue->name_hash[s],
            .sender = (kiln_entity)queue->sender[s],
            .target = (kiln_entity)queue->target[s],
            .payload = name + name_len,
            .name = (const char*)name,
            .payload_size = (uint32_t)queue->payload_size[s],
            .name_len = (uint32_t)name_len,
        },
    };
    memcpy(out, &v, sizeof v); /* one whole-record store: every byte written (reserved zeroed) */
}

void kiln_signal_write(int32_t from, int32_t count, const int32_t* delivery_signal,
                       const int32_t* delivery_slot,
                       const int32_t* delivery_lib, int32_t* lib_cursor, uint8_t* block, const int64_t* slot_entity,
                       const int64_t* slot_state, const int32_t* slot_id, const int32_t* slot_quota,
                       const kiln_signal_queue* queue, int32_t* member_slot, int64_t* entry_address, int32_t* entry_id,
                       int32_t* entry_quota) {
    kiln_avx_clear_upper();
    for (int32_t d = from; d < count; d++) {
        int32_t s = delivery_signal[d], slot = delivery_slot[d];
        int32_t p = lib_cursor[delivery_lib[d]]++;
        kiln_signal_delivery* out = (kiln_signal_delivery*)block + p;
        write_delivery(out, s, slot, slot_entity, slot_state, slot_id, slot_quota, queue);
        member_slot[p] = slot;
        entry_address[d] = (int64_t)(uintptr_t)out;
        entry_id[d] = slot_id[slot];
        entry_quota[d] = slot_quota[slot];
    }
}

void kiln_signal_write_batches(int32_t from, int32_t count, const int32_t* delivery_signal,
                               const int32_t* delivery_slot, const int32_t* delivery_lib, int32_t* lib_cursor,
                               const uint8_t* lib_compact, const int32_t* lib_start, int32_t* lib_receivers,
                               uint8_t* block, kiln_signal_entry* entries, kiln_instance* receivers,
                               const int64_t* slot_entity, const int64_t* slot_state, const int32_t* slot_id,
                               const int32_t* slot_quota, int32_t* slot_stamp, int32_t* slot_receiver, int32_t stamp,
                               const kiln_signal_queue* queue, int32_t* member_slot, int32_t* position_delivery,
                               int64_t* entry_address, int32_t* entry_id, int32_t* entry_quota) {
    kiln_avx_clear_upper();
    for (int32_t d = from; d < count; d++) {
        int32_t s = delivery_signal[d], slot = delivery_slot[d], lib = delivery_lib[d];
        int32_t p = lib_cursor[lib]++;
        member_slot[p] = slot;
        position_delivery[p] = d;
        if (!lib_compact[lib]) {
            kiln_signal_delivery* out = (kiln_signal_delivery*)block + p;
            write_delivery(out, s, slot, slot_entity, slot_state, slot_id, slot_quota, queue);
            entry_address[d] = (int64_t)(uintptr_t)out;
            entry_id[d] = slot_id[slot];
            entry_quota[d] = slot_quota[slot];
            continue;
        }
        entry_address[d] = 0; /* its range comes from its library's outcomes */
        int32_t r = receiver_number(slot, &lib_receivers[lib], slot_stamp, slot_receiver, stamp, receivers + lib_start[lib],
                                    slot_entity, slot_state, slot_id, slot_quota);
        entries[p] = (kiln_signal_entry){.receiver = (uint32_t)r, .signal = (uint32_t)s};
    }
}

/* A round being routed and written in one pass (kiln_signal_route_batch, kiln_signal_route_lane):
 * where it writes, and its counts. */
typedef struct one_pass {
    const int32_t* lib_mode;
    const uint8_t* lib_compact;  /* the libraries taking this pass's kind of batch */
    const int32_t* lib_slot_first;
    kiln_signal_entry* entries;  /* a compact batch's entries, or NULL ... */
    kiln_lane_delivery* lane;    /* ... a lane batch's deliveries */
    int32_t* delivery_slot;
    int32_t deliveries, lib; /* lib: -1 until the first delivery */
    int32_t first_slot;      /* lib_slot_first[lib] once lib is set: receiver r is slot first_slot + r */
    kiln_lane_delivery signal; /* the lane signal being routed (receiver filled per delivery) */
} one_pass;

/* Signal s to slot of library lib: 1 when delivered, 0 when dropped (a poisoned library), -1 when the
 * round is not one such library's (another library, no handler, not this kind of batch). */
static inline __attribute__((always_inline)) int one_pass_deliver(one_pass* p, int32_t s, int32_t slot, int32_t lib) {
    if (lib != p->lib || lib < 0) { /* the round's library was checked at its first delivery: its mode cannot change within the call */
        int32_t mode = p->lib_mode[lib];
        if (mode == KILN_ROUTE_LIB_POISONED) return 0;
        if (mode != KILN_ROUTE_LIB_DELIVER || !p->lib_compact[lib] || p->lib >= 0) return -1;
        p->lib = lib;
        p->first_slot = p->lib_slot_first[lib];
    }
    uint32_t receiver = (uint32_t)(slot - p->first_slot);
    if (p->lane != NULL) {
        kiln_lane_delivery d = p->signal;
        d.receiver = receiver;
        p->lane[p->deliveries] = d;
    } else {
        p->entries[p->deliveries] = (kiln_signal_entry){.receiver = receiver, .signal = (uint32_t)s};
    }
    p->delivery_slot[p->deliveries] = slot;
    p->deliveries++;
    return 1;
}

/* The receivers of the round (kiln_signal_route_batch's tables). */
typedef struct route_tables {
    const int32_t* generations;
    const uint8_t* alive;
    int32_t high_water;
    const int32_t* entity_first;
    int32_t entity_span;
    const int32_t* entity_slots;
    const int64_t* entity_route;
    const int64_t* slot_entity;
    const int32_t* slot_lib;
    const uint8_t* slot_live;
    const int32_t* conn_first;
    const int64_t* conn_name;
    const int64_t* conn_sender;
} route_tables;

/* A pass over a round's signals with its counts taken from counters (one library or none yet):
 * the caller points entries or lane at where it writes. */
static inline one_pass pass_of(const int32_t* lib_mode, const uint8_t* lib_taking, const int32_t* lib_slot_first,
                               int32_t* delivery_slot, const int64_t* counters) {
    const int32_t lib0 = (int32_t)counters[KILN_ROUTE_LIBRARY];
    one_pass p = {
        .lib_mode = lib_mode, .lib_compact = lib_taking, .lib_slot_first = lib_slot_first,
        .delivery_slot = delivery_slot, .deliveries = (int32_t)counters[KILN_ROUTE_DELIVERIES], .lib = lib0,
        .first_slot = lib0 >= 0 ? lib_slot_first[lib0] : 0,
    };
    return p;
}

/* ... and its counts given back: deliveries, the library and its receivers (its run of slots). */
static inline void pass_done(const one_pass* p, const int32_t* lib_slot_first, int64_t* counters) {
    counters[KILN_ROUTE_DELIVERIES] = p->deliveries;
    counters[KILN_ROUTE_RECEIVERS] = p->lib >= 0 ? lib_slot_first[p->lib + 1] - lib_slot_first[p->lib] : 0;
    counters[KILN_ROUTE_LIBRARY] = p->lib;
}

/* The round's receivers as the entry points hand them over. */
static inline route_tables tables_of(const int32_t* generations, const uint8_t* alive, int32_t high_water,
                                     const int32_t* entity_first, int32_t entity_span, const int32_t* entity_slots,
                                     const int64_t* entity_route, const int64_t* slot_entity, const int32_t* slot_lib,
                                     const uint8_t* slot_live, const int32_t* conn_first, const int64_t* conn_name,
                                     const int64_t* conn_sender) {
    const route_tables r = {
        .generations = generations, .alive = alive, .high_water = high_water, .entity_first = entity_first,
        .entity_span = entity_span, .entity_slots = entity_slots, .entity_route = entity_route,
        .slot_entity = slot_entity, .slot_lib = slot_lib, .slot_live = slot_live, .conn_first = conn_first,
        .conn_name = conn_name, .conn_sender = conn_sender,
    };
    return r;
}

/* The outcomes of routing one signal in a pass (route_one). */
enum { ROUTED = 0, ROUTE_FULL = 1, ROUTE_MIXED = 2 };

/*
 * Signal s (to t, name, from from_entity) delivered to its receivers in the target's execution
 * order, as kiln_signal_route picks them: ROUTED (also with no receiver), ROUTE_FULL (its
 * deliveries would not fit in capacity: their bound in counters[KILN_ROUTE_NEEDED], nothing kept)
 * or ROUTE_MIXED (a receiver the pass does not take: nothing kept of this signal).
 */
static inline __attribute__((always_inline)) int route_one(one_pass* p, const route_tables* r, int32_t s, uint64_t t, uint64_t name, uint64_t from_entity,
                            int targets_live, int32_t capacity, int64_t* counters) {
    int32_t index = targets_live ? ((uint32_t)t < (uint32_t)r->entity_span ? (int32_t)(uint32_t)t : -1)
                                 : receiving_index(t, r->generations, r->alive, r->high_water, r->entity_span);
    if (index < 0) return ROUTED;
    const int64_t* one = r->entity_route + KILN_ROUTE_ENTITY_WIDTH * (int64_t)index;
    const int fast = (uint64_t)one[0] == t; /* the index's only script, receiving, one connection: one line read */
    int32_t first, end;
    if (fast) {
        if ((uint64_t)one[1] != name || (one[2] != 0 && (uint64_t)one[2] != from_entity)) return ROUTED;
        first = 0;
        end = 1;
    } else {
        first = r->entity_first[index];
        end = r->entity_first[index + 1];
    }
    if (end - first > capacity - p->deliveries) { /* at most that many deliveries */
        counters[KILN_ROUTE_NEEDED] = end - first;
        return ROUTE_FULL;
    }
    /* A stop leaves the round routed up to a whole signal: this one's partial work is dropped. */
    int32_t d0 = p->deliveries, mixed = 0;
    if (fast) {
        mixed = one_pass_deliver(p, s, (int32_t)(uint32_t)one[3], (int32_t)(one[3] >> 32)) < 0;
    } else {
        for (int32_t k = first; k < end && !mixed; k++) {
            int32_t slot = r->entity_slots[k];
            if (!r->slot_live[slot] || (uint64_t)r->slot_entity[slot] != t) continue;
            if (!accepts(slot, name, from_entity, r->conn_first, r->conn_name, r->conn_sender)) continue;
            mixed = one_pass_deliver(p, s, slot, r->slot_lib[slot]) < 0;
        }
    }
    if (mixed) {
        p->deliveries = d0;
        return ROUTE_MIXED;
    }
    return ROUTED;
}

int32_t kiln_signal_route_batch(int32_t from, int32_t until, const kiln_signal_queue* queue,
                                const int32_t* generations, const uint8_t* alive, int32_t high_water,
                                const int32_t* entity_first, int32_t entity_span, const int32_t* entity_slots,
                                const int64_t* entity_route,
                                const int64_t* slot_entity, const int32_t* slot_lib, const uint8_t* slot_live,
                                const int32_t* conn_first, const int64_t* conn_name, const int64_t* conn_sender,
                                const int32_t* lib_mode, const uint8_t* lib_compact, const int32_t* lib_slot_first,
                                kiln_signal_entry* entries, int32_t* delivery_slot, int32_t capacity,
                                int64_t* counters) {
    kiln_avx_clear_upper();
    one_pass p = pass_of(lib_mode, lib_compact, lib_slot_first, delivery_slot, counters);
    p.entries = entries;
    const route_tables r = tables_of(generations, alive, high_water, entity_first, entity_span, entity_slots,
                                     entity_route, slot_entity, slot_lib, slot_live, conn_first, conn_name, conn_sender);
    counters[KILN_ROUTE_NEEDED] = 0;
    counters[KILN_ROUTE_MIXED] = 0;
    /* Every target was checked live when it was queued and nothing was despawned since (the engine's
     * word): its index is then a live entity's, and the handle compares in route_one (the entity
     * route's or slot_entity) still tell a receiver of that very entity from a stale one. */
    const int targets_live = counters[KILN_ROUTE_TARGETS_LIVE] != 0;
    const int32_t queued = until < queue->count ? until : queue->count;
    int32_t s = from;
    for (; s < queued; s++) {
        uint64_t t = (uint64_t)queue->target[s];
        if (t == KILN_ENTITY_NULL) { /* a broadcast: the engine's, on the general path */
            counters[KILN_ROUTE_MIXED] = 1;
            break;
        }
        int routed = route_one(&p, &r, s, t, (uint64_t)queue->name_hash[s], (uint64_t)queue->sender[s], targets_live,
                               capacity, counters);
        if (routed == ROUTE_FULL) break;
        if (routed == ROUTE_MIXED) { /* the engine starts the round over on the general path */
            counters[KILN_ROUTE_MIXED] = 1;
            break;
        }
    }
    pass_done(&p, lib_slot_first, counters);
    return s;
}

/* Initial-exec: a plain %fs-relative load, not a __tls_get_addr call per record (this library is
 * loaded once per process and its three variables fit glibc's static TLS reserve for dlopen). */
#define KILN_TLS _Thread_local __attribute__((tls_model("initial-exec")))
/* The queue this thread's apply passes feed (kiln_signals_bind); a thread runs one engine's barrier at a time. */
static KILN_TLS kiln_signal_queue* bound;
/* The last sender looked up in it: a range's records all have one owner, so one lookup per range. */
static KILN_TLS uint32_t last_owner;
static KILN_TLS uint64_t last_entity;

/* The lanes this thread's kiln_apply_batch takes parts from (kiln_lanes_bind). */
static KILN_TLS const kiln_lane_binding* lanes_bound;

void kiln_lanes_bind(const kiln_lane_binding* lanes) {
    kiln_avx_clear_upper();
    lanes_bound = lanes;
}

const kiln_lane_binding* kiln_lanes_bound(void) {
    return lanes_bound;
}

void kiln_signals_bind(kiln_signal_queue* queue) {
    kiln_avx_clear_upper();
    bound = queue;
    last_entity = 0; /* the table may have changed since the last bind */
}

/* The entity of instance id in the queue's sender table (ids ascending), or 0 when it is not there. */
static inline uint64_t sender_entity(const kiln_signal_queue* q, uint32_t id) {
    if (q->id_span > 0) return id < (uint32_t)q->id_span ? (uint64_t)q->entity_by_id[id] : 0;
    int32_t lo = 0, hi = q->senders - 1;
    while (lo <= hi) {
        int32_t mid = lo + (hi - lo) / 2;
        uint32_t at = (uint32_t)q->sender_ids[mid];
        if (at == id) return (uint64_t)q->sender_entities[mid];
        if (at < id) lo = mid + 1;
        else hi = mid - 1;
    }
    return 0;
}

/*
 * The bound queue's header in locals for one run of appends, written back once after it: the
 * stores go through int64_t / uint8_t pointers, which may alias the header, so the compiler would
 * otherwise reload every field after each store (with a call per record and a byte loop, about a
 * third of the queueing's samples in W4: docs/performance.md).
 */
typedef struct queue_run {
    kiln_signal_queue* q;
    int64_t* sender;
    int64_t* target;
    int64_t* hash;
    int64_t* at;
    int32_t* name_len;
    int32_t* payload_size;
    uint8_t* bytes;
    int64_t used, bytes_capacity;
    int32_t s, first, capacity;
} queue_run;

static inline queue_run run_begin(kiln_signal_queue* q) {
    queue_run r = {
        .q = q, .sender = q->sender, .target = q->target, .hash = q->name_hash, .at = q->bytes_at,
        .name_len = q->name_len, .payload_size = q->payload_size, .bytes = q->bytes, .used = q->bytes_used,
        .bytes_capacity = q->bytes_capacity, .s = q->count, .first = q->count, .capacity = q->capacity,
    };
    return r;
}

/* Writes the run's count and bytes back; returns the signals it queued. */
static inline int32_t run_end(const queue_run* r) {
    r->q->count = r->s;
    r->q->bytes_used = r->used;
    return r->s - r->first;
}

/*
 * Queues one signal whose name then payload (n bytes) are at src; 0, nothing written, when the
 * queue is full. copy_words: src holds whole 8-byte words covering the n bytes (a record's
 * padded tail, a lane entry's bytes), so n <= 16 is copied as one or two 8-byte moves, no loop
 * and no library call (the queue's bytes past n are free: overwritten by the next signal's).
 */
static inline int run_append(queue_run* r, uint64_t from, uint64_t target, uint64_t hash, int32_t name_len,
                             int32_t payload_size, const uint8_t* src) {
    const int64_t n = (int64_t)name_len + payload_size;
    if (r->s >= r->capacity || r->used + n > r->bytes_capacity) return 0;
    const int32_t s = r->s;
    r->sender[s] = (int64_t)from;
    r->target[s] = (int64_t)target;
    r->hash[s] = (int64_t)hash;
    r->at[s] = r->used;
    r->name_len[s] = name_len;
    r->payload_size[s] = payload_size;
    uint8_t* to = r->bytes + r->used;
    if (n > 0 && n <= 16 && r->used + 16 <= r->bytes_capacity) {
        memcpy(to, src, 8);
        if (n > 8) memcpy(to + 8, src + 8, 8);
    } else {
        memcpy(to, src, (size_t)n);
    }
    r->s = s + 1;
    r->used += n;
    return 1;
}

/* The sender of owner's signals in the bound queue q (its sender table), looked up once per owner; 0: none. */
static inline uint64_t owner_entity(const kiln_signal_queue* q, uint32_t owner) {
    if (last_entity == 0 || last_owner != owner) {
        last_owner = owner;
        last_entity = sender_entity(q, owner);
    }
    return last_entity;
}

int64_t kiln_signal_take(const uint8_t* rec, int64_t available, uint32_t owner, const int32_t* generations,
                         const uint8_t* alive, int64_t high_water, int64_t* taken_out) {
    *taken_out = 0;
    kiln_signal_queue* q = bound;
    if (q == NULL || q->senders < 0) return 0;
    const uint64_t from = owner_entity(q, owner);
    if (from == 0) return 0;
    queue_run run = run_begin(q);
    int64_t at = 0;
    while (available - at >= (int64_t)sizeof(kiln_cmd_signal)) {
        const uint8_t* r = rec + at;
        kiln_cmd_signal cmd;
        memcpy(&cmd, r, sizeof cmd);
        if (cmd.header.kind != KILN_CMD_EMIT_SIGNAL || cmd.header.source_instance != owner) break;
        const int64_t size = cmd.header.size_bytes;
        /* The decoder's checks: whole record in the range, 8-aligned size, name and payload bounds. */
        if (size < (int64_t)sizeof cmd || (size & 7) != 0 || size > available - at) break;
        if (cmd.name_len > KILN_NAME_MAX_BYTES || cmd.payload_size > KILN_SIGNAL_PAYLOAD_MAX
                || (int64_t)sizeof cmd + cmd.name_len + cmd.payload_size > size) {
            break;
        }
        const uint64_t target = cmd.header.target;
        /* A pending target resolves through the spawn results, a dead one is reported: the decoder's. */
        if (target != KILN_ENTITY_NULL && !is_live_target(target, generations, alive, (int32_t)high_water)) break;
        /* the record holds its name and payload after its fixed part, padded to 8 (the size check above) */
        if (!run_append(&run, from, target, cmd.name_hash, cmd.name_len, cmd.payload_size, r + sizeof cmd)) break;
        at += size;
    }
    *taken_out = run_end(&run);
    return at;
}

int32_t kiln_lane_take(const kiln_lane_signal* lane, uint32_t lane_capacity, kiln_lane_part* part, uint32_t owner,
                       int32_t quota, const int32_t* generations, const uint8_t* alive, int64_t high_water) {
    const uint32_t first = part->first, count = part->count;
    if (count == 0) return 1;
    kiln_signal_queue* q = bound;
    if (q == NULL || q->senders < 0) return 0;
    /* A part outside the lane, or past its owner's quota: the engine's Java reports and refuses it. */
    if (first > lane_capacity || count > lane_capacity - first) return 0;
    if (quota > 0 && (uint64_t)count * KILN_LANE_SIGNAL_QUOTA_BYTES > (uint64_t)quota) return 0;
    const uint64_t from = owner_entity(q, owner);
    if (from == 0) return 0;
    queue_run run = run_begin(q);
    uint32_t k = 0;
    for (; k < count; k++) {
        kiln_lane_signal e;
        memcpy(&e, lane + first + k, sizeof e);
        /* The checks of the record it stands for: name and payload bounds, a live target (not null, not pending). */
        if (e.name_len == 0 || (uint32_t)e.name_len + e.payload_size > KILN_LANE_SIGNAL_BYTES) break;
        if (!is_live_target(e.target, generations, alive, (int32_t)high_water)) break;
        if (!run_append(&run, from, e.target, e.name_hash, e.name_len, e.payload_size, e.bytes)) break;
    }
    run_end(&run);
    /* what is left of the part is the engine's Java's, from the entry that stopped it */
    part->first = first + k;
    part->count = count - k;
    return k == count;
}

int32_t kiln_lane_take_parts(int32_t from, int32_t n, const int32_t* ids, const int32_t* quotas,
                             const int32_t* generations, const uint8_t* alive, int64_t high_water) {
    kiln_avx_clear_upper();
    const kiln_lane_binding* lanes = lanes_bound;
    if (lanes == NULL) return from;
    if (n > lanes->count) n = lanes->count;
    int32_t i = from;
    for (; i < n; i++) {
        kiln_lane_part* part = (kiln_lane_part*)(uintptr_t)lanes->parts[i];
        if (!kiln_lane_take(lanes->entries, lanes->capacity, part, (uint32_t)ids[i], quotas[i], generations, alive,
                            high_water)) {
            break;
        }
    }
    return i;
}

/*
 * The lane round's common parts, from part i on, in one loop of their own (a call per part was
 * a tenth of the route's instructions; inlined in the general loop, its registers spilled): a
 * part within the lane, its quota and the deliveries' room, from an owner in the queue's sender
 * table, and its entries while each is well formed and its target is the route handle of its
 * index (live: the caller's word) whose one receiver is in the round's library, routed from that
 * one line, each delivery written in three stores (the entry's lengths sit where the delivery's
 * do: kiln.h). The round's library is set. Returns the part it stopped in (until: none), with
 * the entries of it already routed in *k_out and the deliveries before it in *d_part_out: the
 * caller goes on from there with every check (route_one), so what this leaves is routed,
 * refused or reported exactly as before.
 */
static __attribute__((noinline)) int32_t route_common_parts(one_pass* p, const kiln_lane_binding* lanes, int32_t i,
                                                           int32_t until, const int32_t* ids, const int32_t* quotas,
                                                           const kiln_signal_queue* q, const int64_t* entity_route,
                                                           int32_t entity_span, int32_t capacity, uint32_t* k_out,
                                                           int32_t* d_part_out) {
    kiln_lane_delivery* out = p->lane;
    int32_t* out_slot = p->delivery_slot;
    int32_t d = p->deliveries;
    /* A route line's slot | library << 32 less this is the receiver's number when the line's
     * library is the round's: each library's slots are one run, numbered library by library, so a
     * slot of another library leaves something in the high half (a lower library's borrows). */
    const uint64_t lib_base = ((uint64_t)(uint32_t)p->lib << 32) | (uint32_t)p->first_slot;
    const kiln_lane_signal* entries = lanes->entries;
    const uint32_t lane_capacity = lanes->capacity;
    uint32_t k = 0;
    int32_t d_part = d;
    for (; i < until; i++) {
        const kiln_lane_part part = *(const kiln_lane_part*)(uintptr_t)lanes->parts[i];
        k = 0;
        d_part = d;
        if (part.count == 0) continue;
        const int32_t quota = quotas[i];
        if (part.first > lane_capacity || part.count > lane_capacity - part.first
                || (quota > 0 && (uint64_t)part.count * KILN_LANE_SIGNAL_QUOTA_BYTES > (uint64_t)quota)
                || (uint32_t)(capacity - d) < part.count) {
            goto stop;
        }
        const uint64_t from_entity = sender_entity(q, (uint32_t)ids[i]);
        if (from_entity == 0) goto stop;
        const kiln_lane_signal* e = entries + part.first;
        for (; k < part.count; k++, e++) {
            const uint64_t t = e->target;
            uint32_t lens;
            memcpy(&lens, &e->name_len, sizeof lens); /* name_len, then payload_size */
            const uint32_t name_len = lens & 0xFFFFu;
            if (name_len == 0 || name_len + (lens >> 16) > KILN_LANE_SIGNAL_BYTES) goto stop;
            const uint32_t index = (uint32_t)t;
            if (index >= (uint32_t)entity_span) goto stop;
            const int64_t* line = entity_route + KILN_ROUTE_ENTITY_WIDTH * (int64_t)index;
            /* not its index's one receiver (a line for none holds KILN_ROUTE_NO_ENTITY, whose
             * index no target within the span has): the general path */
            if ((uint64_t)line[0] != t) goto stop;
            const uint64_t receiver = (uint64_t)line[3] - lib_base;
            if ((receiver >> 32) != 0) goto stop; /* another library's receiver */
            if ((uint64_t)line[1] != e->name_hash || (line[2] != 0 && (uint64_t)line[2] != from_entity)) continue;
            const uint32_t slot = (uint32_t)line[3];
            const uint64_t head = receiver | ((uint64_t)lens << 32);
            memcpy((uint8_t*)(out + d), &head, 8);
            memcpy((uint8_t*)(out + d) + 8, &from_entity, 8);
            memcpy((uint8_t*)(out + d) + 16, e->bytes, 8);
            out_slot[d] = (int32_t)slot;
            d++;
        }
    }
stop:
    p->deliveries = d;
    *k_out = k;
    *d_part_out = d_part;
    return i;
}

int32_t kiln_signal_route_lane(int32_t from, int32_t until, const int32_t* ids, const int32_t* quotas,
                               const int32_t* generations, const uint8_t* alive, int32_t high_water,
                               const int32_t* entity_first, int32_t entity_span, const int32_t* entity_slots,
                               const int64_t* entity_route, const int64_t* slot_entity, const int32_t* slot_lib,
                               const uint8_t* slot_live, const int32_t* conn_first, const int64_t* conn_name,
                               const int64_t* conn_sender, const int32_t* lib_mode, const uint8_t* lib_lane,
                               const int32_t* lib_slot_first, kiln_lane_delivery* deliveries, int32_t* delivery_slot,
                               int32_t capacity, int64_t* counters) {
    kiln_avx_clear_upper();
    counters[KILN_ROUTE_NEEDED] = 0;
    counters[KILN_ROUTE_MIXED] = 0;
    const kiln_lane_binding* lanes = lanes_bound;
    const kiln_signal_queue* q = bound;
    if (lanes == NULL || q == NULL || q->senders < 0) {
        counters[KILN_ROUTE_MIXED] = 1;
        return from;
    }
    if (until > lanes->count) until = lanes->count;
    one_pass p = pass_of(lib_mode, lib_lane, lib_slot_first, delivery_slot, counters);
    p.lane = deliveries;
    const route_tables r = tables_of(generations, alive, high_water, entity_first, entity_span, entity_slots,
                                     entity_route, slot_entity, slot_lib, slot_live, conn_first, conn_name, conn_sender);
    const kiln_lane_signal* entries = lanes->entries;
    const uint32_t lane_capacity = lanes->capacity;
    /* Every entity route's handle was live when the engine last looked and nothing was released
     * since (the engine's word): an entry whose target is its index's route handle is live. */
    const int routes_live = counters[KILN_ROUTE_TARGETS_LIVE] != 0;
    int32_t i = from;
    int stop = ROUTED;
    for (; i < until && stop == ROUTED; i++) {
        uint32_t k = 0;
        int32_t d_part = p.deliveries; /* a stop inside the part takes the part again from its start */
        if (routes_live && p.lib >= 0) {
            i = route_common_parts(&p, lanes, i, until, ids, quotas, q, r.entity_route, r.entity_span, capacity, &k,
                                   &d_part);
            if (i == until) break;
        }
        const kiln_lane_part part = *(const kiln_lane_part*)(uintptr_t)lanes->parts[i];
        if (part.count == 0) continue;
        /* What kiln_lane_take hands to the engine's Java (a part outside the lane or past the quota,
         * an owner without an entity) is not routed here: the engine takes the round the general way. */
        const int32_t quota = quotas[i];
        const uint64_t from_entity = owner_entity(q, (uint32_t)ids[i]);
        if (part.first > lane_capacity || part.count > lane_capacity - part.first || from_entity == 0
                || (quota > 0 && (uint64_t)part.count * KILN_LANE_SIGNAL_QUOTA_BYTES > (uint64_t)quota)) {
            stop = ROUTE_MIXED;
            break;
        }
        p.signal.sender = from_entity;
        for (; k < part.count; k++) {
            kiln_lane_signal e;
            memcpy(&e, entries + part.first + k, sizeof e);
            /* the record's checks (kiln_lane_take); a target that is not live is the decoder's to report */
            if (e.name_len == 0 || (uint32_t)e.name_len + e.payload_size > KILN_LANE_SIGNAL_BYTES
                    || !is_live_target(e.target, generations, alive, high_water)) {
                stop = ROUTE_MIXED;
                break;
            }
            p.signal.name_len = e.name_len;
            p.signal.payload_size = e.payload_size;
            memcpy(p.signal.bytes, e.bytes, sizeof e.bytes);
            stop = route_one(&p, &r, (int32_t)(part.first + k), e.target, e.name_hash, from_entity, 1, capacity, counters);
            if (stop != ROUTED) break;
        }
        if (stop != ROUTED) {
            p.deliveries = d_part;
            break;
        }
    }
    if (stop == ROUTE_MIXED) counters[KILN_ROUTE_MIXED] = 1;
    pass_done(&p, lib_slot_first, counters);
    return i;
}
