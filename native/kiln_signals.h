/*
 * kiln_signals.h — native signal routing (native/kiln_signals.c), built into the engine's apply
 * library (libkiln_apply) and called through FFM by dev.kiln.dataplane.NativeSignals.
 */
#ifndef KILN_SIGNALS_H
#define KILN_SIGNALS_H

#include <stdint.h>

#include "kiln.h"

/*
 * One barrier's signal queue, in native memory the engine owns (SignalQueue): signal s is entry s
 * of each array, its name then its payload at bytes + bytes_at[s]. The engine appends to it in
 * Java; kiln_signal_take appends the EMIT_SIGNAL records the apply pass meets. 112 bytes.
 */
typedef struct kiln_signal_queue {
    int64_t* sender;                 /*   0  entity; KILN_ENTITY_NULL: the Java host */
    int64_t* target;                 /*   8  entity; KILN_ENTITY_NULL: a broadcast */
    int64_t* name_hash;              /*  16 */
    int64_t* bytes_at;               /*  24 */
    int32_t* name_len;               /*  32 */
    int32_t* payload_size;           /*  40 */
    uint8_t* bytes;                  /*  48 */
    int64_t bytes_used;              /*  56  in/out */
    int64_t bytes_capacity;          /*  64 */
    int32_t count;                   /*  72  in/out: signals queued */
    int32_t capacity;                /*  76  entries of each array (at most the engine's queue bound) */
    const int32_t* sender_ids;       /*  80  the instances that may emit, ids ascending ... */
    const int64_t* sender_entities;  /*  88  ... and their entities */
    int32_t senders;                 /*  96  entries of both; < 0: the table is stale, emits stop the pass */
    int32_t id_span;                 /* 100  > 0: entity_by_id covers every id below it (the same table) */
    const int64_t* entity_by_id;     /* 104  entity of instance id, 0 where none: no search per range */
} kiln_signal_queue;

/*
 * Binds the calling thread's apply passes (kiln_apply_hot) to queue (NULL: none): from then on an
 * EMIT_SIGNAL record the pass meets is queued by kiln_signal_take instead of stopping it.
 */
void kiln_signals_bind(kiln_signal_queue* queue);

/*
 * Queues the run of EMIT_SIGNAL records that starts at rec (at most available bytes from rec, all
 * written by instance owner) into the bound queue, each checked as the engine's decoder checks it,
 * until the first record that is not one or that it does not take; returns the bytes taken (0:
 * none) and the records in *taken_out. A record is not taken — the engine's decoder then takes it
 * and the rest of its range, and reports — when no queue is bound, it is malformed, its target is
 * pending or not a live entity, its sender is not in the queue's table (or the table is stale), or
 * the queue is full. One call per run, not per record: the queue's header stays in registers.
 */
int64_t kiln_signal_take(const uint8_t* rec, int64_t available, uint32_t owner, const int32_t* generations,
                         const uint8_t* alive, int64_t high_water, int64_t* taken_out);

/*
 * The signal lane of one phase's batch, bound for the apply pass (kiln_lanes_bind): the update
 * calls' lane entries and, per instance of the batch in canonical order, the address of its
 * kiln_lane_part (kiln_apply_batch's instance indices). Engine memory; the parts and entries are
 * script-written. 32 bytes.
 */
typedef struct kiln_lane_binding {
    const kiln_lane_signal* entries;  /*  0 */
    const int64_t* parts;             /*  8  count addresses */
    uint32_t capacity;                /* 16  entries of the lane */
    int32_t count;                    /* 20  instances */
    uint64_t reserved0;               /* 24 */
} kiln_lane_binding;

/*
 * Binds the calling thread's kiln_apply_batch to lanes (NULL: none): it then takes each instance's
 * lane part (kiln_lane_take) before its range, and stops at an instance whose part it does not
 * take with KILN_APPLY_STOP_AT_LANE (kiln_apply.h). The binding must outlive the calls.
 */
void kiln_lanes_bind(const kiln_lane_binding* lanes);

/* The binding of kiln_lanes_bind on this thread, or NULL (for kiln_apply.c). */
const kiln_lane_binding* kiln_lanes_bound(void);

/*
 * Queues lane part `part` of instance owner (entries [part->first, + part->count) of lane, which
 * holds lane_capacity entries: the update call's kiln_lane_signal entries, script-written) into
 * the bound queue, each checked as the EMIT_SIGNAL record it stands for would be (name and payload
 * bounds, a live target, the sender in the queue's table, room in the queue), in order; the part
 * is advanced past what it took. Returns 1 when it took the whole part (or it was empty), 0 when
 * it stopped: no queue bound, a part outside the lane or past quota / KILN_LANE_SIGNAL_QUOTA_BYTES
 * entries (quota > 0), or an entry it does not take; the engine then takes the rest in Java, with
 * every report.
 */
int32_t kiln_lane_take(const kiln_lane_signal* lane, uint32_t lane_capacity, kiln_lane_part* part, uint32_t owner,
                       int32_t quota, const int32_t* generations, const uint8_t* alive, int64_t high_water);

/*
 * kiln_lane_take for the parts of instances [from, n) of the bound lanes (kiln_lanes_bind), in order
 * (ids, quotas: each instance's engine id and request quota): a lane held past its barrier, queued
 * at the dispatch. Returns the instance whose part it stopped at (its part advanced to the entry
 * that stopped it: the engine takes the rest in Java), or n when it took them all.
 */
int32_t kiln_lane_take_parts(int32_t from, int32_t n, const int32_t* ids, const int32_t* quotas,
                             const int32_t* generations, const uint8_t* alive, int64_t high_water);

/* Slots of the counters array shared with the engine. */
enum {
    KILN_ROUTE_DELIVERIES = 0, /* in/out: entries of the delivery tables in use */
    KILN_ROUTE_NEEDED = 1,     /* out: deliveries the signal it stopped at needs (capacity stop) */
    KILN_ROUTE_COUNTERS = 2
};

/* lib_mode values of kiln_signal_route: what a receiving library does with a delivery. */
enum {
    KILN_ROUTE_LIB_DELIVER = 0,    /* exports kiln_script_signal */
    KILN_ROUTE_LIB_NO_HANDLER = 1, /* exports none: the delivery is dropped, the engine reports it */
    KILN_ROUTE_LIB_POISONED = 2    /* stopped after a watchdog timeout: dropped silently */
};

/*
 * Routes queued signals [from, min(until, queue->count)) to their receivers, in posting order and, per signal, in
 * the target's execution order, into the delivery tables (delivery_signal / _slot / _lib from
 * counters[KILN_ROUTE_DELIVERIES]); per library, lib_count[lib] += its deliveries, lib_first[lib]
 * is set to the first delivery's index when it was -1, lib_missed[lib] to the signal's index + 1
 * when it was 0 and the library has no handler.
 *
 * Receivers by entity index: entity_slots[entity_first[i] .. entity_first[i + 1]) for i below
 * entity_span, in execution order; a slot receives when slot_live[slot] and its entity handle is
 * exactly the target and one of its connections conn_name / conn_sender [conn_first[slot] ..
 * conn_first[slot + 1]) names the signal and its sender (sender 0: any). The target must be a live
 * entity of the world (generations / alive below high_water).
 *
 * Returns the index of the first signal not routed (min(until, queue->count): all of them). It stops before a broadcast
 * (target KILN_ENTITY_NULL: the engine routes those) and before a signal whose deliveries would
 * not fit in capacity (their number in counters[KILN_ROUTE_NEEDED]).
 */
int32_t kiln_signal_route(int32_t from, int32_t until, const kiln_signal_queue* queue, const int32_t* generations,
                          const uint8_t* alive,
                          int32_t high_water, const int32_t* entity_first, int32_t entity_span,
                          const int32_t* entity_slots, const int64_t* slot_entity, const int32_t* slot_lib,
                          const uint8_t* slot_live, const int32_t* conn_first, const int64_t* conn_name,
                          const int64_t* conn_sender, const int32_t* lib_mode, int32_t* lib_count,
                          int32_t* lib_first, int32_t* lib_missed, int32_t* delivery_signal,
                          int32_t* delivery_slot, int32_t* delivery_lib, int32_t capacity, int64_t* counters);

/*
 * Writes deliveries [from, count) as kiln_signal_delivery records (every byte) into block, library
 * by library: delivery d goes to position lib_cursor[delivery_lib[d]]++ (the engine starts each
 * library's cursor at its first position), the receiver's kiln_instance from the slot tables
 * (outputs zeroed) and signal delivery_signal[d] from the queue. Per position p: member_slot[p] =
 * the receiver's slot. Per delivery d (delivery order): entry_address[d] = the record's address, entry_id[d] / entry_quota[d] = the
 * receiver's engine id and request quota (for kiln_collect_ranges after the handlers ran).
 */
void kiln_signal_write(int32_t from, int32_t count, const int32_t* delivery_signal,
                       const int32_t* delivery_slot,
                       const int32_t* delivery_lib, int32_t* lib_cursor, uint8_t* block, const int64_t* slot_entity,
                       const int64_t* slot_state, const int32_t* slot_id, const int32_t* slot_quota,
                       const kiln_signal_queue* queue, int32_t* member_slot, int64_t* entry_address, int32_t* entry_id,
                       int32_t* entry_quota);

/*
 * kiln_signal_write for a round in which some libraries take compact batches (kiln_signal_batch,
 * lib_compact[lib] != 0): their delivery d becomes the 8-byte kiln_signal_entry at
 * entries[lib_cursor[lib]++] naming the receiver (its kiln_instance written once per round at
 * receivers[lib_start[lib] + r], r counted in lib_receivers[lib]; a slot whose slot_stamp is
 * `stamp` has its r in slot_receiver) and the signal (the queue's index, read in place);
 * entry_address[d] = 0. The other libraries' deliveries are written as kiln_signal_write does.
 * Per position p: member_slot[p] = the receiver's slot, position_delivery[p] = d; per delivery
 * written as a record: entry_id / entry_quota = the receiver's engine id and quota.
 */
void kiln_signal_write_batches(int32_t from, int32_t count, const int32_t* delivery_signal,
                               const int32_t* delivery_slot, const int32_t* delivery_lib, int32_t* lib_cursor,
                               const uint8_t* lib_compact, const int32_t* lib_start, int32_t* lib_receivers,
                               uint8_t* block, kiln_signal_entry* entries, kiln_instance* receivers,
                               const int64_t* slot_entity, const int64_t* slot_state, const int32_t* slot_id,
                               const int32_t* slot_quota, int32_t* slot_stamp, int32_t* slot_receiver, int32_t stamp,
                               const kiln_signal_queue* queue, int32_t* member_slot, int32_t* position_delivery,
                               int64_t* entry_address, int32_t* entry_id, int32_t* entry_quota);

/* Further counter slots of kiln_signal_route_batch (counters of KILN_ROUTE_BATCH_COUNTERS entries). */
enum {
    KILN_ROUTE_RECEIVERS = 2, /* out: the receiving library's receivers (its run of slots), 0 before a delivery */
    KILN_ROUTE_LIBRARY = 3,   /* in/out: the one receiving library, -1 until the first delivery */
    KILN_ROUTE_MIXED = 4,     /* out: 1 when it stopped because the round is not one compact library's */
    KILN_ROUTE_TARGETS_LIVE = 5, /* in: 1 when every queued target is known live (no despawn since each was
                                  * queued and checked): the world's liveness tables are not read;
                                  * kiln_signal_route_lane: 1 when every entity route's handle is live
                                  * (checked since the last release), so an entry targeting its index's
                                  * route handle is live */
    KILN_ROUTE_BATCH_COUNTERS = 6
};

/* int64 values of entity_route per entity index (kiln_signal_route_batch below). */
#define KILN_ROUTE_ENTITY_WIDTH 4
/* entity_route[0] of an index that is not the common case: all ones, an index past every span,
 * so no target a route compares with it (after checking its index against the span) equals it —
 * the null handle included, which a zero would have matched. */
#define KILN_ROUTE_NO_ENTITY UINT64_MAX

/*
 * kiln_signal_route and kiln_signal_write_batches in one pass, for the common round in which every
 * delivery goes to one library taking compact batches (lib_compact[lib] != 0): delivery d of
 * signals [from, min(until, queue->count)) is written straight into the batch — the 8-byte
 * kiln_signal_entry at entries[d], its receiver numbered slot - lib_slot_first[lib]: the engine keeps
 * every slot's kiln_instance in one block, slot order, each library's slots one run
 * (lib_slot_first[lib] to lib_slot_first[lib + 1], the runs in library order), and hands the library its run as the batch's
 * receivers, so nothing is written or looked up per receiver here — and its slot into
 * delivery_slot[d], memory the script cannot write, for the engine's reading of outcomes and
 * faults. The receivers are picked as kiln_signal_route picks them; a receiver whose library is
 * poisoned is dropped silently as there. Deliveries and the library are counters in and out; the
 * library's receiver count is out.
 *
 * entity_route: per entity index below entity_span, 4 values (32 bytes) that route the common
 * receiver — the only script at the index, receiving, with one connection — from one cache line
 * instead of the slot and connection tables: [0] its entity handle (KILN_ROUTE_NO_ENTITY: not
 * that case, the tables decide), [1] its connection's name hash, [2] the connection's sender (0:
 * any), [3] its slot in the low 32 bits, its library in the high 32.
 *
 * Returns the index of the first signal not routed (min(until, queue->count): all of them). It stops
 * before a signal whose deliveries would not fit in capacity (entries and delivery_slot;
 * the number in counters[KILN_ROUTE_NEEDED]); and, with counters[KILN_ROUTE_MIXED] = 1, before a
 * broadcast or a signal with a receiver in a second library, a library without a handler or one
 * without compact batches: the engine then routes the whole round with kiln_signal_route.
 */
int32_t kiln_signal_route_batch(int32_t from, int32_t until, const kiln_signal_queue* queue,
                                const int32_t* generations, const uint8_t* alive, int32_t high_water,
                                const int32_t* entity_first, int32_t entity_span, const int32_t* entity_slots,
                                const int64_t* entity_route,
                                const int64_t* slot_entity, const int32_t* slot_lib, const uint8_t* slot_live,
                                const int32_t* conn_first, const int64_t* conn_name, const int64_t* conn_sender,
                                const int32_t* lib_mode, const uint8_t* lib_compact, const int32_t* lib_slot_first,
                                kiln_signal_entry* entries, int32_t* delivery_slot, int32_t capacity,
                                int64_t* counters);

/*
 * kiln_signal_route_batch for a round whose signals are all lane entries (a phase's lane held past
 * its barrier, nothing else queued): the parts of the bound lanes' instances [from, until) (ids,
 * quotas: their engine ids and request quotas) in canonical order, each part's entries in order,
 * are checked as kiln_lane_take checks them and routed to their receivers as kiln_signal_route_batch
 * routes a queued signal, each delivery written whole as the kiln_lane_delivery at deliveries[d]
 * (receiver numbered from the library's first slot, the part's owner's entity as its sender) and
 * its slot into delivery_slot[d]; lib_lane[lib] != 0 for the libraries taking lane batches. The
 * bound queue gives the senders (its sender table). Returns the instance it stopped at (until:
 * all routed); a stop for capacity leaves the deliveries as they were before that instance's part
 * (counters[KILN_ROUTE_NEEDED] > 0: grow and call again from it); counters[KILN_ROUTE_MIXED] = 1
 * when the round is not one lane library's or an entry needs the engine's checks and reports:
 * the engine then queues the parts (kiln_lane_take_parts) and routes the round the general way.
 * With counters[KILN_ROUTE_TARGETS_LIVE] = 1, an entry whose target is its index's entity route
 * handle is taken as live without the world's tables (the common entry's loop: one route line).
 * Nothing here clears a part.
 */
int32_t kiln_signal_route_lane(int32_t from, int32_t until, const int32_t* ids, const int32_t* quotas,
                               const int32_t* generations, const uint8_t* alive, int32_t high_water,
                               const int32_t* entity_first, int32_t entity_span, const int32_t* entity_slots,
                               const int64_t* entity_route, const int64_t* slot_entity, const int32_t* slot_lib,
                               const uint8_t* slot_live, const int32_t* conn_first, const int64_t* conn_name,
                               const int64_t* conn_sender, const int32_t* lib_mode, const uint8_t* lib_lane,
                               const int32_t* lib_slot_first, kiln_lane_delivery* deliveries, int32_t* delivery_slot,
                               int32_t capacity, int64_t* counters);

#endif
