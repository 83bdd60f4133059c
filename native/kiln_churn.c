/*
 * kiln_churn.c — the engine's native apply path for entity churn: plain SPAWN, SPAWN_AT and
 * DESPAWN records (a spawner's bullets, particles, pickups), applied into World's entity tables
 * at the barrier, one downcall per run of ranges that start with one (W3: 1,000 spawns and
 * 1,000 despawns a frame cost ~40 ns each through the Java decoder, World.spawn/despawn and the
 * publisher's full-row copies).
 *
 * It does exactly what World.spawn (rotation normalised, as for a script's request) and the
 * runtime's despawn do, on World's own arrays (the free list, generations, liveness, the
 * transforms), and writes the entity's snapshot row in the same pass, as kiln_apply.c does for
 * the transform kinds. It applies only what would succeed with nothing else to do: a spawn with
 * a prefab or tags, a non-finite value, no free row left (World would grow its tables), the
 * entity limit; a despawn of a pending, stale or out-of-range handle, or of an entity with a
 * name, tags, components, vars or scripts (World's extras table says which); any other kind;
 * a malformed header or a record naming another source — stop it, and the Java decoder takes
 * the rest of the range from that record with every check, report and log line it always had.
 * The bytes are untrusted: nothing is read past the range, which is checked against the buffer.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kiln.h"
#include "kiln_bytes.h"
#include "kiln_avx.h"
#include "kiln_churn.h"

#if defined(__SSE2__)
#include <emmintrin.h> /* the SPAWN_AT run's row stores and finite check (x86-64's baseline) */
#endif

#define HEADER_BYTES 16
#define SPAWN_RECORD_BYTES 72
#define SPAWN_AT_RECORD_BYTES 40
#define DESPAWN_RECORD_BYTES 16
#define PENDING_GENERATION 0xFFFFFFFFu

/* KILN_CMD_* of the kinds applied here. */
#define CMD_SPAWN 1
#define CMD_DESPAWN 2
#define CMD_SPAWN_AT 25

/* World.CHANGED_ROW: the publisher rewrites the whole row. */
#define CHANGED_ROW 4

/* Four floats at once (GCC/Clang vector extensions: SSE2 on x86-64, NEON on arm64). */
typedef float f32x4 __attribute__((vector_size(16)));
typedef int32_t i32x4 __attribute__((vector_size(16)));

static inline f32x4 load4(const uint8_t* p) {
    f32x4 v;
    memcpy(&v, p, sizeof v);
    return v;
}

/*
 * True when the spawn record's ten floats (position, rotation, scale at 24..63) are all finite:
 * x - x is 0 for finite x and NaN for NaN and infinities, tested four lanes at a time. The third
 * load covers bytes 56..71, inside the 72-byte fixed part; its last two lanes (the name lengths
 * and reserved0) are not floats and are masked out.
 */
static inline __attribute__((always_inline)) int spawn_values_finite(const uint8_t* rec) {
    f32x4 a = load4(rec + 24), b = load4(rec + 40), c = load4(rec + 56);
    const f32x4 zero = {0, 0, 0, 0};
    i32x4 ok = ((a - a) == zero) & ((b - b) == zero) & (((c - c) == zero) | (i32x4){0, 0, -1, -1});
    return (ok[0] & ok[1] & ok[2] & ok[3]) != 0;
}

/* The world's tables and the running counts of one call (kept in locals: see kiln_apply.c). */
typedef struct churn_pass {
    int32_t* generations;
    uint8_t* alive;
    const uint8_t* extras;
    float* positions;
    float* rotations;
    float* scales;
    float* velocities;
    uint8_t* integration_held;
    uint8_t* changes;
    int32_t* dirty_list;
    int32_t* free_list;
    kiln_entity_row* rows;
    uint32_t* live_generations; /* kiln_snapshot.live_generations: row_capacity entries, as rows */
    kiln_position_entry* position_table; /* kiln_snapshot.positions: row_capacity entries, as rows; NULL: none */
    int64_t row_capacity;
    int64_t high_water, dirty_count, moving_count, positions_version, free_count, alive_count;
    int64_t capacity, entities_max;
} churn_pass;

/* Marks the row for the publisher, as World does (RowChanges.mark): a row past the published table. */
static inline __attribute__((always_inline)) void mark_row(churn_pass* c, int32_t index) {
    uint8_t had = c->changes[index];
    if (had == 0) c->dirty_list[c->dirty_count++] = index;
    c->changes[index] = (uint8_t)(had | CHANGED_ROW);
}

/*
 * A spawned entity's whole snapshot row, as SnapshotPublisher.writeRow writes it (every field
 * but reserved0); else marked for the publisher. Position, rotation (as stored) and scale are
 * copied as they are.
 */
static inline __attribute__((always_inline)) void publish_spawned(churn_pass* c, int32_t index, uint32_t generation,
                                                                  const uint8_t* pos, const float* q,
                                                                  const uint8_t* scale) {
    if (index >= c->row_capacity) {
        mark_row(c, index);
        return;
    }
    uint8_t* row = (uint8_t*)(c->rows + index);
    uint64_t head = (uint64_t)generation | ((uint64_t)KILN_ROW_ALIVE << 32); /* generation, flags */
    static const float zero3[3] = {0, 0, 0};
    memcpy(row + offsetof(kiln_entity_row, generation), &head, sizeof head);
    memcpy(row + offsetof(kiln_entity_row, position), pos, 12);
    memcpy(row + offsetof(kiln_entity_row, rotation), q, 16);
    memcpy(row + offsetof(kiln_entity_row, scale), scale, 12);
    memcpy(row + offsetof(kiln_entity_row, velocity), zero3, 12);
    c->live_generations[index] = generation;
    if (c->position_table != NULL) {
        memcpy(&c->position_table[index].position, pos, 12);
        c->position_table[index].generation = generation;
    }
}

/*
 * A despawned entity's row: only its flags change. Every other field of a published row equals
 * the tables unless the entity is marked changed, and then the publisher rewrites what the mark
 * says (a whole row for CHANGED_ROW) after the barrier — the invariant kiln_apply.c's row writes
 * keep too. A row past the published table is marked.
 */
static inline __attribute__((always_inline)) void publish_despawned(churn_pass* c, int32_t index) {
    if (index >= c->row_capacity) {
        mark_row(c, index);
        return;
    }
    c->rows[index].flags = 0u;
    c->live_generations[index] = 0u;
    if (c->position_table != NULL) c->position_table[index].generation = 0u;
}

/*
 * q / |q| into q, bit for bit as World.writeQuatNormalized: the float length first (sum of
 * squares in float, left to right, no FMA: the build turns contraction off), and only when it is
 * not exactly 1 the division by the double length (identity below 1e-12).
 */
static inline __attribute__((always_inline)) void normalize_quat(float* q) {
    float x = q[0], y = q[1], z = q[2], w = q[3];
    float sum = x * x + y * y + z * z + w * w;
    /* sum == 1 (a unit rotation, the usual case) has sqrt 1: no square root needed to know */
    if (sum == 1.0f || (float)sqrt((double)sum) == 1.0f) return;
    double len = sqrt((double)x * x + (double)y * y + (double)z * z + (double)w * w);
    if (len < 1e-12) {
        q[0] = 0; q[1] = 0; q[2] = 0; q[3] = 1;
    } else {
        q[0] = (float)(x / len); q[1] = (float)(y / len); q[2] = (float)(z / len); q[3] = (float)(w / len);
    }
}

/*
 * A spawn into a free row, as World.spawn: position (3 floats at pos), rotation q (already
 * normalised), scale (3 floats at scale); 0, with nothing written, when Java must take it (the
 * entity limit, a full results table, an id out of order, a free row with data left, no row
 * below the capacity).
 */
static inline __attribute__((always_inline)) int spawn_into_row(churn_pass* c, uint64_t request_id,
                                                                const uint8_t* pos, const float* q,
                                                                const uint8_t* scale, int64_t* results,
                                                                int64_t* results_tail, int64_t results_capacity,
                                                                int64_t* last_id) {
    /* an id out of order or a full table: the decoder inserts the result in place */
    int in_order = (*last_id < 0) | ((uint32_t)request_id > (uint32_t)*last_id);
    if ((c->alive_count >= c->entities_max) | (*results_tail >= results_capacity) | (in_order == 0)) return 0;
    int32_t index;
    if (c->free_count > 0) {
        index = c->free_list[c->free_count - 1];
        /* a free row with data left would need World's cleanup (never: despawn clears it) */
        if ((c->extras[index] & KILN_CHURN_EXTRA_DATA) != 0) return 0;
        c->free_count--;
    } else {
        if (c->high_water >= c->capacity) return 0; /* World grows its tables */
        index = (int32_t)c->high_water++;
    }
    uint32_t generation = (uint32_t)c->generations[index] + 1u;
    if (generation == 0 || generation == PENDING_GENERATION) generation = 1;
    c->generations[index] = (int32_t)generation;
    c->alive[index] = 1;
    c->alive_count++;
    static const float zero3[3] = {0, 0, 0};
    int64_t o = (int64_t)index * 3;
    memcpy(c->positions + o, pos, 12);
    memcpy(c->rotations + (int64_t)index * 4, q, 16);
    memcpy(c->scales + o, scale, 12);
    memcpy(c->velocities + o, zero3, 12);
    c->integration_held[index] = 0;
    publish_spawned(c, index, generation, pos, q, scale);
    int64_t* pair = results + 2 * *results_tail;
    pair[0] = (int64_t)request_id;
    pair[1] = (int64_t)(((uint64_t)generation << 32) | (uint32_t)index);
    ++*results_tail;
    *last_id = (int64_t)(uint32_t)request_id;
    return 1;
}

/* A plain SPAWN (its 72-byte fixed part checked to fit); 0, with nothing written, when Java must take it. */
static inline __attribute__((always_inline)) int spawn(churn_pass* c, const uint8_t* rec, int64_t* results,
                                                       int64_t* results_tail, int64_t results_capacity,
                                                       int64_t* last_id) {
    /* a prefab or tags (name lengths at 64 and 66): structural, Java's; a non-finite value is
     * reported by the decoder, with a failed spawn result */
    if (read_u32(rec + 64) != 0 || !spawn_values_finite(rec)) return 0;
    float q[4];
    memcpy(q, rec + 36, sizeof q);
    normalize_quat(q);
    return spawn_into_row(c, read_u64(rec + 16), rec + 24, q, rec + 52, results, results_tail, results_capacity,
                          last_id);
}

/*
 * A SPAWN_AT (40 bytes, checked to fit): a bare entity at its position, the identity rotation
 * (a unit quaternion: normalising changes nothing) and scale 1.
 */
static inline __attribute__((always_inline)) int spawn_at(churn_pass* c, const uint8_t* rec, int64_t* results,
                                                          int64_t* results_tail, int64_t results_capacity,
                                                          int64_t* last_id) {
    static const float identity[4] = {0, 0, 0, 1};
    static const float one3[3] = {1, 1, 1};
    /* the position at 24..35 finite; the fourth lane (reserved0) is not a float */
    f32x4 p = load4(rec + 24);
    const f32x4 zero = {0, 0, 0, 0};
    i32x4 ok = ((p - p) == zero) | (i32x4){0, 0, 0, -1};
    if ((ok[0] & ok[1] & ok[2]) == 0) return 0;
    return spawn_into_row(c, read_u64(rec + 16), rec + 24, identity, (const uint8_t*)one3, results, results_tail,
                          results_capacity, last_id);
}

/* A despawn of a live entity with nothing but its row; 0, with nothing written, when Java must take it. */
static inline __attribute__((always_inline)) int despawn(churn_pass* c, const uint8_t* rec) {
    uint64_t target = read_u64(rec + 8);
    uint32_t index = (uint32_t)target, generation = (uint32_t)(target >> 32);
    /* generation 0 (null) and PENDING_GENERATION (the decoder resolves it) are the two whose generation - 1 >= 2^32 - 2 */
    if ((generation - 1u >= PENDING_GENERATION - 1u) | ((int64_t)index >= c->high_water)) return 0;
    if ((c->alive[index] == 0) | ((uint32_t)c->generations[index] != generation) | (c->extras[index] != 0)) return 0;
    c->alive[index] = 0;
    c->alive_count--;
    c->free_list[c->free_count++] = (int32_t)index;
    /* moving: a component other than +0 and -0 (as World.isMoving; the sign bit shifted out).
     * The count is exact, so when it is 0 no live entity moves and this one's velocity is known
     * to be 0: no read of the velocity table (a tenth of the pass in the churn harness). */
    if (c->moving_count != 0) {
        uint32_t v[3];
        memcpy(v, c->velocities + (int64_t)index * 3, sizeof v);
        c->moving_count -= ((v[0] | v[1] | v[2]) << 1) != 0;
    }
    publish_despawned(c, (int32_t)index);
    return 1;
}

/*
 * Applies the run of DESPAWN records from at while each is this owner's and applies as `despawn`
 * applies it; returns where the run ended. A spawner posts its despawns and its spawns each in a
 * row (W3: 100 and 100): one loop per run with its own copy of the pass, whose fields the
 * compiler then keeps in registers (the pass's loop over every kind keeps them in memory).
 */
static __attribute__((noinline)) int64_t despawn_run(churn_pass* c, const uint8_t* data, int64_t at, int64_t end,
                                                     uint64_t word, int64_t* applied) {
    churn_pass l = *c;
    int64_t n = 0;
    while (end - at >= DESPAWN_RECORD_BYTES && read_u64(data + at) == word && despawn(&l, data + at)) {
        at += DESPAWN_RECORD_BYTES;
        n++;
    }
    *c = l;
    *applied += n;
    return at;
}


/* True when the three floats at p (a SPAWN_AT's position; p + 12 is readable) are finite. */
static inline __attribute__((always_inline)) int position_finite(const uint8_t* p) {
#if defined(__SSE2__)
    __m128 v = _mm_loadu_ps((const float*)p);
    return (_mm_movemask_ps(_mm_cmpeq_ps(_mm_sub_ps(v, v), _mm_setzero_ps())) & 7) == 7;
#else
    f32x4 v = load4(p);
    const f32x4 zero = {0, 0, 0, 0};
    i32x4 ok = ((v - v) == zero) | (i32x4){0, 0, 0, -1};
    return (ok[0] & ok[1] & ok[2]) != 0;
#endif
}

/*
 * A SPAWN_AT's snapshot row: generation, alive, the position at pos (12 bytes), the identity
 * rotation, scale 1, velocity 0 and reserved0 0 (which it always is: nothing writes it), in four
 * 16-byte stores where SSE2 has them.
 */
static inline __attribute__((always_inline)) void row_spawned_at(uint8_t* row, uint32_t generation, const uint8_t* pos) {
#if defined(__SSE2__)
    __m128i head = _mm_cvtsi64_si128((int64_t)((uint64_t)generation | ((uint64_t)KILN_ROW_ALIVE << 32)));
    __m128i xy = _mm_loadl_epi64((const __m128i*)pos);
    __m128i z = _mm_cvtsi32_si128((int32_t)read_u32(pos + 8));
    _mm_storeu_si128((__m128i*)row, _mm_unpacklo_epi64(head, xy));               /* generation, flags, x, y */
    _mm_storeu_si128((__m128i*)(row + 16), z);                                   /* z, rotation x, y, z */
    _mm_storeu_ps((float*)(row + 32), _mm_set1_ps(1.0f));                        /* rotation w, scale */
    _mm_storeu_si128((__m128i*)(row + 48), _mm_setzero_si128());                 /* velocity, reserved0 */
#else
    static const float identity[4] = {0, 0, 0, 1};
    static const float one3[3] = {1, 1, 1};
    static const float zero4[4] = {0, 0, 0, 0};
    uint64_t head = (uint64_t)generation | ((uint64_t)KILN_ROW_ALIVE << 32);
    memcpy(row + offsetof(kiln_entity_row, generation), &head, 8);
    memcpy(row + offsetof(kiln_entity_row, position), pos, 12);
    memcpy(row + offsetof(kiln_entity_row, rotation), identity, 16);
    memcpy(row + offsetof(kiln_entity_row, scale), one3, 12);
    memcpy(row + offsetof(kiln_entity_row, velocity), zero4, 16);
#endif
}

/*
 * The run of SPAWN_AT records from at (this owner's, exactly 40 bytes: header word `word`) that
 * spawn_at would apply into rows of the free list, as spawn_at → spawn_into_row applies each
 * (the same checks, writes and result), with what they check per record that cannot change
 * within a run checked once (the entity limit, the results table's room, a free row) and the
 * tables in locals, and the row in four 16-byte stores: the SDK's bare spawn is most of a
 * spawner's records, and these took W3's churn pass from 9.1-9.3 us to 8.4-8.6 (the run) and
 * then 7.5-7.9 (the row's stores, the finite check's mask) in the W3 frame harness.
 * Returns where the run ended (at: it applied none, spawn_at takes the record).
 */
static __attribute__((noinline)) int64_t spawn_at_run(churn_pass* c, const uint8_t* data, int64_t at, int64_t end,
                                                      uint64_t word, int64_t* results, int64_t* results_tail,
                                                      int64_t results_capacity, int64_t* last_id, int64_t* applied) {
    static const float identity[4] = {0, 0, 0, 1};
    int32_t* const generations = c->generations;
    uint8_t* const alive = c->alive;
    const uint8_t* const extras = c->extras;
    float* const positions = c->positions;
    float* const rotations = c->rotations;
    float* const scales = c->scales;
    float* const velocities = c->velocities;
    uint8_t* const held = c->integration_held;
    const int32_t* const free_list = c->free_list;
    kiln_entity_row* const rows = c->rows;
    uint32_t* const live_generations = c->live_generations;
    kiln_position_entry* const position_table = c->position_table;
    const int64_t row_capacity = c->row_capacity;
    int64_t tail = *results_tail, last = *last_id, free_count = c->free_count;
    /* the spawns the run may apply before the entity limit, a full results table or an empty free
     * list (a row past the high water: spawn_at's) stops it: checked once, not per record */
    int64_t room = c->entities_max - c->alive_count;
    if (results_capacity - tail < room) room = results_capacity - tail;
    if (free_count < room) room = free_count;
    const int64_t first = tail;
    const uint64_t ones = 0x3f8000003f800000ull; /* two floats 1 */
    while (tail - first < room && end - at >= SPAWN_AT_RECORD_BYTES) {
        const uint8_t* rec = data + at;
        if (read_u64(rec) != word) break;
        uint64_t request_id = read_u64(rec + 16);
        /* last is -1 (no result yet) or a 32-bit id: as int64 values every id is above -1 */
        if (!position_finite(rec + 24) | ((int64_t)(uint32_t)request_id <= last)) break;
        int32_t index = free_list[free_count - 1];
        if ((extras[index] & KILN_CHURN_EXTRA_DATA) != 0) break;
        free_count--;
        uint32_t generation = (uint32_t)generations[index] + 1u;
        if (generation + 1u <= 1u) generation = 1; /* 0 (null) and PENDING_GENERATION are never a live handle's */
        generations[index] = (int32_t)generation;
        alive[index] = 1;
        uint64_t xy = read_u64(rec + 24);
        uint32_t z = read_u32(rec + 32);
        uint8_t* pos = (uint8_t*)(positions + (int64_t)index * 3);
        memcpy(pos, &xy, 8);
        memcpy(pos + 8, &z, 4);
        memcpy(rotations + (int64_t)index * 4, identity, 16);
        uint8_t* scale = (uint8_t*)(scales + (int64_t)index * 3);
        memcpy(scale, &ones, 8);
        memcpy(scale + 4, &ones, 8);
        uint8_t* velocity = (uint8_t*)(velocities + (int64_t)index * 3);
        memset(velocity, 0, 12);
        held[index] = 0;
        if (index < row_capacity) {
            row_spawned_at((uint8_t*)(rows + index), generation, rec + 24);
            live_generations[index] = generation;
            if (position_table != NULL) { /* position and generation: the entry's 16 bytes */
                uint64_t z_generation = (uint64_t)z | ((uint64_t)generation << 32);
                uint8_t* entry = (uint8_t*)(position_table + index);
                memcpy(entry, &xy, 8);
                memcpy(entry + 8, &z_generation, 8);
            }
        } else {
            mark_row(c, index);
        }
        int64_t* pair = results + 2 * tail;
        pair[0] = (int64_t)request_id;
        pair[1] = (int64_t)(((uint64_t)generation << 32) | (uint32_t)index);
        tail++;
        last = (int64_t)(uint32_t)request_id;
        at += SPAWN_AT_RECORD_BYTES;
    }
    c->free_count = free_count;
    c->alive_count += tail - first;
    *results_tail = tail;
    *last_id = last;
    *applied += tail - first;
    return at;
}

/* The first 8 bytes of a record of this kind and size by owner (kind, size, source: abi/kiln.h). */
static inline uint64_t header_word(int kind, int size, int32_t owner) {
    return (uint64_t)(uint32_t)kind | ((uint64_t)(uint32_t)size << 16) | ((uint64_t)(uint32_t)owner << 32);
}

int64_t kiln_churn_apply(const uint8_t* data, int64_t data_size, int64_t at, int64_t end, int32_t owner,
                         int32_t* generations, uint8_t* alive, const uint8_t* extras, float* positions,
                         float* rotations, float* scales, float* velocities, uint8_t* integration_held,
                         uint8_t* changes, int32_t* dirty_list, int32_t* free_list, int64_t* counters,
                         int64_t* results, kiln_entity_row* rows, uint32_t* live_generations, int32_t row_capacity) {
    /* The decoder's range checks: a range it would report as a whole is left to it whole. */
    if (at < 0 || end < at || end > data_size || (at & 7) != 0) return at;
    churn_pass c = {
        .generations = generations, .alive = alive, .extras = extras, .positions = positions,
        .rotations = rotations, .scales = scales, .velocities = velocities, .integration_held = integration_held,
        .changes = changes, .dirty_list = dirty_list, .free_list = free_list, .rows = rows,
        .live_generations = live_generations, .row_capacity = row_capacity,
        .position_table = (kiln_position_entry*)(uintptr_t)counters[KILN_CHURN_POSITION_TABLE],
        .high_water = counters[KILN_CHURN_HIGH_WATER], .dirty_count = counters[KILN_CHURN_DIRTY_COUNT],
        .moving_count = counters[KILN_CHURN_MOVING_COUNT], .positions_version = counters[KILN_CHURN_POSITIONS_VERSION],
        .free_count = counters[KILN_CHURN_FREE_COUNT], .alive_count = counters[KILN_CHURN_ALIVE_COUNT],
        .capacity = counters[KILN_CHURN_CAPACITY], .entities_max = counters[KILN_CHURN_ENTITIES_MAX],
    };
    int64_t results_tail = counters[KILN_CHURN_SPAWNED], results_capacity = counters[KILN_CHURN_SPAWNED_CAPACITY];
    int64_t last_id = counters[KILN_CHURN_LAST_ID];
    int64_t applied = 0;
    const uint64_t spawn_word = header_word(CMD_SPAWN, SPAWN_RECORD_BYTES, owner);
    const uint64_t despawn_word = header_word(CMD_DESPAWN, DESPAWN_RECORD_BYTES, owner);
    const uint64_t spawn_at_word = header_word(CMD_SPAWN_AT, SPAWN_AT_RECORD_BYTES, owner);
    while (end - at >= HEADER_BYTES) {
        const uint8_t* rec = data + at;
        /* The SDK's records, kind, size and source compared as one word; any other header (a
         * longer record, another source, another kind) goes through the decoder's checks. */
        uint64_t header = read_u64(rec);
        int64_t size;
        if (header == despawn_word) {
            int64_t run_end = despawn_run(&c, data, at, end, despawn_word, &applied);
            if (run_end == at) break; /* its first record is left to Java */
            at = run_end;
            continue;
        } else if (header == spawn_at_word && end - at >= SPAWN_AT_RECORD_BYTES) {
            int64_t run_end = spawn_at_run(&c, data, at, end, spawn_at_word, results, &results_tail, results_capacity,
                                           &last_id, &applied);
            if (run_end != at) {
                at = run_end;
                continue;
            }
            /* a spawn the run does not take (no free row: a new one past the high water; or a stop) */
            if (!spawn_at(&c, rec, results, &results_tail, results_capacity, &last_id)) break;
            size = SPAWN_AT_RECORD_BYTES;
        } else if (header == spawn_word && end - at >= SPAWN_RECORD_BYTES) {
            if (!spawn(&c, rec, results, &results_tail, results_capacity, &last_id)) break;
            size = SPAWN_RECORD_BYTES;
        } else {
            int kind = read_u16(rec);
            size = read_u16(rec + 2);
            if ((int32_t)read_u32(rec + 4) != owner || (size & 7) != 0 || size > end - at) break;
            if (kind == CMD_SPAWN && size >= SPAWN_RECORD_BYTES) {
                if (!spawn(&c, rec, results, &results_tail, results_capacity, &last_id)) break;
            } else if (kind == CMD_SPAWN_AT && size >= SPAWN_AT_RECORD_BYTES) {
                if (!spawn_at(&c, rec, results, &results_tail, results_capacity, &last_id)) break;
            } else if (kind == CMD_DESPAWN && size >= DESPAWN_RECORD_BYTES) {
                if (!despawn(&c, rec)) break;
            } else {
                break;
            }
        }
        applied++;
        at += size;
    }
    c.positions_version += applied; /* one bump per spawn and per despawn, as World's */
    counters[KILN_CHURN_HIGH_WATER] = c.high_water;
    counters[KILN_CHURN_DIRTY_COUNT] = c.dirty_count;
    counters[KILN_CHURN_MOVING_COUNT] = c.moving_count;
    counters[KILN_CHURN_POSITIONS_VERSION] = c.positions_version;
    counters[KILN_CHURN_FREE_COUNT] = c.free_count;
    counters[KILN_CHURN_ALIVE_COUNT] = c.alive_count;
    counters[KILN_CHURN_SPAWNED] = results_tail;
    counters[KILN_CHURN_LAST_ID] = last_id;
    counters[KILN_CHURN_APPLIED] += applied;
    return at;
}

int32_t kiln_churn_apply_ranges(const uint8_t* data, int64_t data_size, const int64_t* spans, int32_t n,
                                int32_t* generations, uint8_t* alive, const uint8_t* extras, float* positions,
                                float* rotations, float* scales, float* velocities, uint8_t* integration_held,
                                uint8_t* changes, int32_t* dirty_list, int32_t* free_list, int64_t* counters,
                                int64_t* results, kiln_entity_row* rows, uint32_t* live_generations, int32_t row_capacity) {
    kiln_avx_clear_upper();
    for (int32_t k = 0; k < n; k++) {
        int64_t end = spans[3 * k + 1];
        int64_t stop = kiln_churn_apply(data, data_size, spans[3 * k], end, (int32_t)spans[3 * k + 2], generations,
                                        alive, extras, positions, rotations, scales, velocities, integration_held,
                                        changes, dirty_list, free_list, counters, results, rows, live_generations,
                                        row_capacity);
        if (stop != end) {
            counters[KILN_CHURN_STOP] = stop;
            return k;
        }
    }
    return n;
}
