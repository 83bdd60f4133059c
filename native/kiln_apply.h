/*
 * kiln_apply.h — the native apply path's interface (native/kiln_apply.c); the engine calls it
 * through FFM (dev.kiln.dataplane.HotApply mirrors the counter slots below).
 */
#ifndef KILN_APPLY_H
#define KILN_APPLY_H

#include <stdint.h>

#include "kiln.h"

/* Slots of the counters array shared with the engine (in: the world's, out: updated). */
enum {
    KILN_APPLY_HIGH_WATER = 0,        /* in: entity rows in use */
    KILN_APPLY_DIRTY_COUNT = 1,       /* in/out: entries of dirty_list */
    KILN_APPLY_MOVING_COUNT = 2,      /* in/out: live entities with a non-zero velocity */
    KILN_APPLY_POSITIONS_VERSION = 3, /* in/out: bumped per position change */
    KILN_APPLY_APPLIED = 4,           /* out: += records applied */
    KILN_APPLY_STOP_OFFSET = 5,       /* out: byte offset of the first record not applied */
    KILN_APPLY_POSITION_TABLE = 6,    /* in: address of the snapshot's position table (kiln_snapshot.positions,
                                       * row_capacity kiln_position_entry), 0: none */
    KILN_APPLY_ROW_POSITIONS = 7,     /* in: 1 while a loaded library reads the rows' positions (no
                                       * KILN_READS_POSITION_TABLE): a moved entity's row is written too */
    KILN_APPLY_COUNTERS = 8
};

/* counters[KILN_APPLY_STOP_OFFSET] when kiln_apply_batch stopped at an instance's own transform
 * (kiln_own_transform, abi/kiln.h) rather than at a record: the engine applies it in Java (with
 * its report), then the instance's range from its start. */
#define KILN_APPLY_STOP_AT_OWN (-1)
/* counters[KILN_APPLY_STOP_OFFSET] when kiln_apply_batch stopped at an instance's lane part
 * (kiln_lane_part, abi/kiln.h; lanes bound with kiln_lanes_bind) that it did not take: the engine
 * takes the part in Java (with its reports), then the instance's range from its start. */
#define KILN_APPLY_STOP_AT_LANE (-2)

/* The world's hot tables, as World lays them out (structure of arrays, 3 floats per vec3). */
typedef struct kiln_apply_world {
    const int32_t* generations;
    const uint8_t* alive;
    float* positions;
    float* scales;
    float* velocities;
    uint8_t* integration_held;
    uint8_t* changes;
    int32_t* dirty_list;
    int64_t* counters;
    kiln_entity_row* rows;  /* the snapshot's entity rows; row_capacity of them */
    int32_t row_capacity;
    /* from counters (pass_begin): the snapshot's position table (row_capacity entries, NULL: none)
     * and whether a moved entity's row gets its position too (always when there is no table) */
    kiln_position_entry* position_table;
    int32_t row_positions;
} kiln_apply_world;

/*
 * Applies ranges [from, count) in order until a record it does not apply; returns the index of
 * that record's range (count when every range was applied), with its byte offset in
 * counters[KILN_APPLY_STOP_OFFSET]. A range flagged java_only stops it at the range's start.
 * A position or velocity change of an entity below row_capacity is written into the snapshot
 * instead of being marked for the publisher: a velocity into its row of rows, a position into the
 * position table (counters[KILN_APPLY_POSITION_TABLE]) and, while counters[KILN_APPLY_ROW_POSITIONS]
 * says a library reads them (or there is no table), into its row.
 */
int32_t kiln_apply_hot(const uint8_t* data, int64_t data_size,
                       const int32_t* offsets, const int32_t* lengths, const int32_t* owners,
                       const int32_t* java_only, int32_t from, int32_t count,
                       const int32_t* generations, const uint8_t* alive, float* positions, float* scales,
                       float* velocities, uint8_t* integration_held, uint8_t* changes, int32_t* dirty_list,
                       int64_t* counters, kiln_entity_row* rows, int32_t row_capacity);

/*
 * Appends the command range of each of n instances (entries: the address of its kiln_instance,
 * in canonical order; ids and quotas: the engine's) to the range tables from index count, skipping
 * empty ranges with nothing refused; returns the new count. The tables must have room for n more.
 */
int32_t kiln_collect_ranges(const int64_t* entries, const int32_t* ids, const int32_t* quotas, int32_t n,
                            int32_t* offsets, int32_t* lengths, int32_t* owners, int32_t* out_quotas,
                            int32_t* refused, int32_t* dropped, int32_t* java_only, int32_t count);

/*
 * 1 when none of the n consecutive kiln_instance entries (one library's update batch, its outputs
 * script-written) left a record, a refusal or a dropped log line — cmd_bytes, cmd_refused and
 * log_dropped all 0 —, else 0. Read only: what the batch left is checked when it is applied.
 */
int32_t kiln_entries_quiet(const kiln_instance* entries, int32_t n);

/*
 * kiln_collect_ranges and kiln_apply_hot in one pass over instances [from, n) of one phase's batch
 * (entries, ids, quotas as for kiln_collect_ranges): applies each instance's hot records in
 * canonical order; returns the index of the instance it stopped at (n: all applied), the offset
 * of the record it stopped at in counters[KILN_APPLY_STOP_OFFSET]. An instance whose range
 * kiln_collect_ranges would flag java_only, or that lies outside data, stops it at its start.
 * owns: NULL, or the address of each instance's kiln_own_transform (the update call's column) in
 * canonical order: a slot of kind != 0 is applied before the instance's range, on the entity of
 * its kiln_instance, and cleared; one it does not apply stops it with KILN_APPLY_STOP_AT_OWN.
 * With owns, run_ends[i] is where instance i's run ends: the instances [i, run_ends[i]) are
 * consecutive entries (and slots) of one library.
 */
int32_t kiln_apply_batch(const uint8_t* data, int64_t data_size, const int64_t* entries, const int32_t* ids,
                         const int32_t* quotas, const int64_t* owns, const int32_t* run_ends, int32_t from, int32_t n,
                         const int32_t* generations, const uint8_t* alive, float* positions, float* scales,
                         float* velocities, uint8_t* integration_held, uint8_t* changes, int32_t* dirty_list,
                         int64_t* counters, kiln_entity_row* rows, int32_t row_capacity);

/*
 * position += velocity * dt for live, moving entities from index from on, as
 * World.integrateVelocities: positions published into rows (or marked) like the applied ones.
 * Returns the index of the first entity whose new position would not be finite and which is
 * not held yet (the engine holds and reports it, then calls again after it), or
 * counters[KILN_APPLY_HIGH_WATER] when done.
 */
int32_t kiln_integrate(int32_t from, float dt, const uint8_t* alive, float* positions, const float* velocities,
                       const uint8_t* integration_held, uint8_t* changes, int32_t* dirty_list, int64_t* counters,
                       kiln_entity_row* rows, int32_t row_capacity);

#endif
