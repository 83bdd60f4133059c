/*
 * kiln_churn.h — the native apply path for plain spawns and despawns (native/kiln_churn.c),
 * built into the apply library; the engine calls it through FFM (dev.kiln.dataplane.ChurnApply
 * mirrors the counter slots below, dev.kiln.ecs.World the first ones).
 */
#ifndef KILN_CHURN_H
#define KILN_CHURN_H

#include <stdint.h>

#include "kiln.h"

/* Slots of the counters array shared with the engine (World.CHURN_* and ChurnApply's). */
enum {
    KILN_CHURN_HIGH_WATER = 0,        /* in/out: entity rows in use */
    KILN_CHURN_DIRTY_COUNT = 1,       /* in/out: entries of dirty_list */
    KILN_CHURN_MOVING_COUNT = 2,      /* in/out: live entities with a non-zero velocity */
    KILN_CHURN_POSITIONS_VERSION = 3, /* in/out: bumped per spawn and despawn */
    KILN_CHURN_FREE_COUNT = 4,        /* in/out: entries of free_list */
    KILN_CHURN_ALIVE_COUNT = 5,       /* in/out: live entities */
    KILN_CHURN_CAPACITY = 6,          /* in: rows of every per-entity table */
    KILN_CHURN_ENTITIES_MAX = 7,      /* in: World.ENTITIES_MAX */
    KILN_CHURN_SPAWNED = 8,           /* in/out: index of the results table's next free pair (its tail) */
    KILN_CHURN_SPAWNED_CAPACITY = 9,  /* in: pairs the results table has room for from index 0 */
    KILN_CHURN_APPLIED = 10,          /* out: += records applied */
    KILN_CHURN_LAST_ID = 11,          /* in/out: request id of the table's last result (low 32 bits), -1: empty */
    KILN_CHURN_STOP = 12,             /* out (kiln_churn_apply_ranges): where the range it stopped in stopped */
    KILN_CHURN_POSITION_TABLE = 13,   /* in: address of the snapshot's position table (row_capacity entries), 0: none */
    KILN_CHURN_COUNTERS = 14
};

/* Bits of the world's per-entity extras table (World.EXTRA_*). */
#define KILN_CHURN_EXTRA_DATA 1u    /* a name, tags, components or vars: World.despawn clears them */
#define KILN_CHURN_EXTRA_SCRIPTS 2u /* scripts listed under the index: ScriptRuntime.despawn detaches them */

/*
 * Applies the records of [at, end) of data (one instance's range, written by owner) while each
 * is a plain SPAWN (no prefab, no tags) or a DESPAWN that succeeds as World.spawn / the
 * runtime's despawn would: the entity tables written in place (Java arrays through a critical
 * downcall), the snapshot row of an entity below row_capacity written in the same pass (else
 * marked for the publisher), each spawn's (request id, handle) appended at the tail of results —
 * the engine's spawn-result table (dev.kiln.abi.SpawnResults), the very memory the snapshot
 * publishes, kept sorted by request id: a spawn whose id does not follow the last result's (as
 * unsigned 32-bit values), or that finds the table full, is left to the decoder, which inserts
 * it in place. rows and live_generations are the snapshot's (kiln_snapshot.entities and
 * .live_generations, row_capacity entries each): a spawn or despawn writes both. Returns the offset of the first record it did not apply (end: all), for the Java
 * decoder to take from.
 */
int64_t kiln_churn_apply(const uint8_t* data, int64_t data_size, int64_t at, int64_t end, int32_t owner,
                         int32_t* generations, uint8_t* alive, const uint8_t* extras, float* positions,
                         float* rotations, float* scales, float* velocities, uint8_t* integration_held,
                         uint8_t* changes, int32_t* dirty_list, int32_t* free_list, int64_t* counters,
                         int64_t* results, kiln_entity_row* rows, uint32_t* live_generations, int32_t row_capacity);

/*
 * kiln_churn_apply over n ranges in order — spans holds (from, end, owner) for each, as int64 —
 * in one downcall (a batch of spawners posts one churn range each: one call per range cost more
 * in the FFM transition than the range's records). Returns how many ranges it applied whole; when
 * fewer than n, the next one stopped at counters[KILN_CHURN_STOP] (records before it applied),
 * and the ranges after it were not touched.
 */
int32_t kiln_churn_apply_ranges(const uint8_t* data, int64_t data_size, const int64_t* spans, int32_t n,
                                int32_t* generations, uint8_t* alive, const uint8_t* extras, float* positions,
                                float* rotations, float* scales, float* velocities, uint8_t* integration_held,
                                uint8_t* changes, int32_t* dirty_list, int32_t* free_list, int64_t* counters,
                                int64_t* results, kiln_entity_row* rows, uint32_t* live_generations, int32_t row_capacity);

#endif
