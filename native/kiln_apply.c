/*
 * kiln_apply.c — the engine's native apply path for the hot request kinds (the data plane).
 *
 * The engine builds this once (zig cc, like the fault guard) and calls kiln_apply_hot at each
 * barrier with the phase's command ranges in canonical order. It applies SET_POSITION,
 * TRANSLATE, SET_SCALE and SET_VELOCITY records straight into the world's transform tables
 * (Java arrays, passed through a critical FFM downcall: no copy, GC held off for the call) and
 * writes the changed position, velocity or scale into the entity's snapshot row in the same pass (the
 * snapshot is only read by scripts after the barrier); a change it cannot publish (a row past
 * the published table) is marked exactly as World marks it, for the publisher to copy.
 *
 * It only ever applies a record that would succeed: anything else — another kind, a pending
 * target, a stale handle, a non-finite value or result, a malformed header, a range the engine
 * flagged for Java (over its quota, with refusals to report) — stops it, and the engine's Java
 * decoder takes the rest of that range from the stopping record, with every check, report and
 * log line it always had. So the bytes are still untrusted input: this file reads nothing the
 * range bounds do not cover, and a record it does not fully understand is never applied here.
 *
 * kiln_apply_batch does both for a phase's batch at its barrier: it reads each instance's command
 * range out of the kiln_instance arrays in canonical order and applies it in the same pass.
 * kiln_collect_ranges only reads the ranges into the engine's range tables (what
 * InstanceBatch.collectRanges does per instance in Java), for a barrier that applies in Java.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kiln.h"
#include "kiln_bytes.h"
#include "kiln_apply.h"
#include "kiln_avx.h"
#include "kiln_signals.h"

/* Bytes of a record header and of the vec3 records' fixed part (abi/kiln.h). */
#define HEADER_BYTES 16
#define VEC3_RECORD_BYTES 32
#define PENDING_GENERATION 0xFFFFFFFFu

/* World.CHANGED_* */
#define CHANGED_POSITION 1
#define CHANGED_VELOCITY 2
#define CHANGED_ROW 4

/* KILN_CMD_* of the kinds applied here. */
#define CMD_SET_POSITION 3
#define CMD_TRANSLATE 4
#define CMD_SET_SCALE 8
#define CMD_SET_VELOCITY 9
#define CMD_EMIT_SIGNAL 16

/* Four floats in one SSE register (GCC/Clang vector extension: any target). */
typedef float v4f __attribute__((vector_size(16)));
typedef float v2f __attribute__((vector_size(8)));
typedef int32_t v4i __attribute__((vector_size(16)));

/* Whether all four lanes are finite: x - x is 0 exactly for finite x. */
static inline int finite4(v4f x) {
    v4i zero = (x - x) == (v4f){0.0f, 0.0f, 0.0f, 0.0f}; /* -1 per finite lane */
    uint64_t lo, hi;
    memcpy(&lo, &zero, 8);
    memcpy(&hi, (const uint8_t*)&zero + 8, 8);
    return (lo & hi) == UINT64_MAX;
}

static inline int finite3(float x, float y, float z) {
    /* x - x is 0 for finite x, NaN for NaN and infinities: one test for all three. */
    return (x - x) == 0.0f && (y - y) == 0.0f && (z - z) == 0.0f;
}

/*
 * The tables and running counts of one call. The counts live here, not in the counters array,
 * so the compiler keeps them in registers: the tables are written through byte pointers, which
 * may alias anything, and would otherwise force a reload and a store of every count per record.
 */
typedef struct apply_pass {
    kiln_apply_world t;
    int64_t dirty_count;
    int64_t moving_count;
    int64_t positions_version;
} apply_pass;

/* A pass over the world's tables with the running counts taken from the counters array... */
static inline apply_pass pass_begin(kiln_apply_world t) {
    t.position_table = (kiln_position_entry*)(uintptr_t)t.counters[KILN_APPLY_POSITION_TABLE];
    t.row_positions = t.counters[KILN_APPLY_ROW_POSITIONS] != 0 || t.position_table == NULL;
    apply_pass a = {
        .t = t,
        .dirty_count = t.counters[KILN_APPLY_DIRTY_COUNT],
        .moving_count = t.counters[KILN_APPLY_MOVING_COUNT],
        .positions_version = t.counters[KILN_APPLY_POSITIONS_VERSION],
    };
    return a;
}

/* ... and given back to it, with the records applied and the offset it stopped at. */
static inline void pass_end(const apply_pass* a, int64_t applied, int64_t stop_offset) {
    int64_t* counters = a->t.counters;
    counters[KILN_APPLY_DIRTY_COUNT] = a->dirty_count;
    counters[KILN_APPLY_MOVING_COUNT] = a->moving_count;
    counters[KILN_APPLY_POSITIONS_VERSION] = a->positions_version;
    counters[KILN_APPLY_APPLIED] += applied;
    counters[KILN_APPLY_STOP_OFFSET] = stop_offset;
}

static inline void mark(apply_pass* a, int32_t index, int what) {
    uint8_t had = a->t.changes[index];
    if (had == 0) a->t.dirty_list[a->dirty_count++] = index;
    a->t.changes[index] = (uint8_t)(had | what);
}

/*
 * Writes a position or velocity straight into the entity's snapshot row when the row table has
 * it (the publisher would copy just these 12 bytes later: this saves its second pass over every
 * moved entity); else marks the change for the publisher, as World does.
 */
static inline void publish_vec3(apply_pass* a, int32_t index, size_t field, const float* v, int what) {
    if (index < a->t.row_capacity) {
        memcpy((uint8_t*)(a->t.rows + index) + field, v, 3 * sizeof(float));
    } else {
        mark(a, index, what);
    }
}

/*
 * A moved entity's published position (index below the published rows): its entry of the
 * snapshot's position table, and its row while a loaded library reads the rows' positions
 * (kiln_snapshot.positions). The dense table is why: W1's 10,000 moves a frame wrote a 64-byte
 * row line each, 640 KB of the frame's working set; the table's entries are 16 bytes.
 */
static inline __attribute__((always_inline)) void write_position(kiln_position_entry* table, kiln_entity_row* rows,
                                                                 int row_positions, int64_t index, const float v[3]) {
    /* the entry's generation stays: the entity is alive, its entry written whole when it was spawned */
    if (table != NULL) memcpy(&table[index].position, v, 3 * sizeof(float));
    if (row_positions) memcpy(&rows[index].position, v, 3 * sizeof(float));
}

/* publish_vec3 for a position: write_position below the published rows, else marked. */
static inline void publish_position(apply_pass* a, int32_t index, const float* p) {
    if (index < a->t.row_capacity) {
        write_position(a->t.position_table, a->t.rows, a->t.row_positions, index, p);
    } else {
        mark(a, index, CHANGED_POSITION);
    }
}

static inline int is_moving(const float* v) {
    return v[0] != 0.0f || v[1] != 0.0f || v[2] != 0.0f;
}

/* Applies one vec3 record to a live entity; 0 when it would fail (then nothing is written). */
static inline int apply_vec3(apply_pass* a, int kind, int32_t index, float x, float y, float z) {
    int64_t o = (int64_t)index * 3;
    switch (kind) {
    case CMD_TRANSLATE: {
        float* p = a->t.positions + o;
        float nx = p[0] + x, ny = p[1] + y, nz = p[2] + z;
        if (!finite3(nx, ny, nz)) return 0;
        p[0] = nx; p[1] = ny; p[2] = nz;
        a->positions_version++;
        publish_position(a, index, p);
        return 1;
    }
    case CMD_SET_POSITION: {
        if (!finite3(x, y, z)) return 0;
        float* p = a->t.positions + o;
        p[0] = x; p[1] = y; p[2] = z;
        a->positions_version++;
        publish_position(a, index, p);
        return 1;
    }
    case CMD_SET_SCALE: {
        if (!finite3(x, y, z)) return 0;
        float* s = a->t.scales + o;
        s[0] = x; s[1] = y; s[2] = z;
        /* 12 bytes into the row, as a velocity: a whole row rewritten by the publisher (five
         * copies, the position entry too) was W6's most expensive publisher work. Past the
         * published rows the publisher writes the whole row anyway. */
        publish_vec3(a, index, offsetof(kiln_entity_row, scale), s, CHANGED_ROW);
        return 1;
    }
    case CMD_SET_VELOCITY: {
        if (!finite3(x, y, z)) return 0;
        float* v = a->t.velocities + o;
        a->t.integration_held[index] = 0; /* a new velocity may be fine again: report anew */
        int was = is_moving(v);
        v[0] = x; v[1] = y; v[2] = z;
        int now = is_moving(v);
        if (was != now) a->moving_count += now ? 1 : -1;
        publish_vec3(a, index, offsetof(kiln_entity_row, velocity), v, CHANGED_VELOCITY);
        return 1;
    }
    default:
        return 0;
    }
}

/*
 * Applies the records of [at, end) (owner's range) while each is a hot record that succeeds;
 * returns the offset of the first one it did not apply (end: all applied).
 */
static inline int64_t apply_range(apply_pass* a, const uint8_t* data, int64_t at, int64_t end, uint32_t owner,
                                  int64_t high_water, int64_t* applied) {
    const int32_t* generations = a->t.generations;
    const uint8_t* alive = a->t.alive;
    while (at < end) {
        if (end - at < HEADER_BYTES) break;
        const uint8_t* rec = data + at;
        int kind = read_u16(rec);
        int64_t size = read_u16(rec + 2);
        if (read_u32(rec + 4) != owner) break;
        if (kind == CMD_EMIT_SIGNAL) { /* the run queued by the signal router when a queue is bound (kiln_signals.c) */
            int64_t taken_records;
            int64_t taken = kiln_signal_take(rec, end - at, owner, generations, alive, high_water, &taken_records);
            if (taken == 0) break;
            *applied += taken_records;
            at += taken;
            continue;
        }
        if (kind != CMD_TRANSLATE && kind != CMD_SET_POSITION && kind != CMD_SET_VELOCITY && kind != CMD_SET_SCALE) break;
        if (size < VEC3_RECORD_BYTES || (size & 7) != 0 || size > end - at) break;
        uint64_t target = read_u64(rec + 8);
        int32_t index = (int32_t)(uint32_t)target;
        uint32_t generation = (uint32_t)(target >> 32);
        if (generation == 0 || generation == PENDING_GENERATION || index < 0 || index >= high_water
                || !alive[index] || (uint32_t)generations[index] != generation) {
            break;
        }
        if (!apply_vec3(a, kind, index, read_f32(rec + 16), read_f32(rec + 20), read_f32(rec + 24))) break;
        ++*applied;
        at += size;
    }
    return at;
}

int32_t kiln_apply_hot(const uint8_t* data, int64_t data_size,
                       const int32_t* offsets, const int32_t* lengths, const int32_t* owners,
                       const int32_t* java_only, int32_t from, int32_t count,
                       const int32_t* generations, const uint8_t* alive, float* positions, float* scales,
                       float* velocities, uint8_t* integration_held, uint8_t* changes, int32_t* dirty_list,
                       int64_t* counters, kiln_entity_row* rows, int32_t row_capacity) {
    kiln_avx_clear_upper();
    apply_pass a = pass_begin((kiln_apply_world){
        .generations = generations, .alive = alive, .positions = positions, .scales = scales,
        .velocities = velocities, .integration_held = integration_held, .changes = changes,
        .dirty_list = dirty_list, .counters = counters, .rows = rows, .row_capacity = row_capacity,
    });
    const int64_t high_water = counters[KILN_APPLY_HIGH_WATER];
    int64_t applied = 0, stop_offset = 0;
    int32_t r = from;
    for (; r < count; r++) {
        int64_t offset = offsets[r], length = lengths[r], end = offset + length;
        if (java_only[r] || offset < 0 || length < 0 || end > data_size || (offset & 7) != 0) {
            stop_offset = offset;
            break;
        }
        int64_t at = apply_range(&a, data, offset, end, (uint32_t)owners[r], high_water, &applied);
        if (at < end) {
            stop_offset = at;
            break;
        }
    }
    pass_end(&a, applied, stop_offset);
    return r;
}

/*
 * The commonest ranges of all: one vec3 record of 32 bytes by its owner on a live entity whose
 * row is published (a mover's TRANSLATE, a steering script's SET_VELOCITY). Applied here when it
 * succeeds, with apply_range's checks in fewer instructions (kind, size and source compared as
 * one 8-byte header word, the counts kept in registers); 0, with nothing written, sends the
 * range to apply_range, which checks it again and applies or stops as always. The apply was
 * instruction-bound: ~150 instructions per one-record range on the general path (callgrind),
 * about 90 with the fused collect on this one.
 */
static inline uint64_t header_word(int kind, uint32_t owner) {
    return (uint64_t)(uint32_t)kind | ((uint64_t)VEC3_RECORD_BYTES << 16) | ((uint64_t)owner << 32);
}

/* The record's target when it is live, generation-checked and has a published row; else -1. */
static inline __attribute__((always_inline)) int64_t live_published(const kiln_apply_world* t, const uint8_t* rec,
                                                                    int64_t high_water) {
    uint64_t target = read_u64(rec + 8);
    uint32_t index = (uint32_t)target, generation = (uint32_t)(target >> 32);
    /* index < high_water <= World.ENTITIES_MAX, so it is a valid int32 too */
    /* generation 0 (null) and PENDING_GENERATION are the two values whose generation - 1 is >= 2^32 - 2 */
    if ((generation - 1u >= PENDING_GENERATION - 1u) | (index >= (uint64_t)high_water)
            | ((int64_t)index >= (int64_t)t->row_capacity)) { /* a row past the table is marked: apply_range's */
        return -1;
    }
    if (!t->alive[index] || (uint32_t)t->generations[index] != generation) return -1;
    return index;
}

static inline __attribute__((always_inline)) int translate_alone(const kiln_apply_world* t, const uint8_t* rec,
                                                                 int64_t high_water) {
    int64_t index = live_published(t, rec, high_water);
    if (index < 0) return 0;
    float* p = t->positions + index * 3;
    float nx = p[0] + read_f32(rec + 16), ny = p[1] + read_f32(rec + 20), nz = p[2] + read_f32(rec + 24);
    if (!finite3(nx, ny, nz)) return 0;
    p[0] = nx; p[1] = ny; p[2] = nz;
    write_position(t->position_table, t->rows, t->row_positions, index, p);
    return 1;
}

/* As apply_vec3's SET_VELOCITY; *moving_delta gets the change in the count of moving entities. */
/*
 * A checked, finite velocity written for a live entity with a published row: the world's table,
 * its held flag (a new velocity may be fine again: report anew), the moving count's change into
 * *moving_delta, the row. What velocity_alone and the own run's SET_VELOCITY stretch share.
 */
static inline __attribute__((always_inline)) void write_velocity(float* velocities, uint8_t* integration_held,
                                                                 kiln_entity_row* rows, int64_t index,
                                                                 const float value[3], int64_t* moving_delta) {
    float* v = velocities + index * 3;
    integration_held[index] = 0;
    int was = is_moving(v);
    memcpy(v, value, 3 * sizeof(float));
    *moving_delta += is_moving(v) - was;
    memcpy(&rows[index].velocity, value, 3 * sizeof(float));
}

static inline __attribute__((always_inline)) int velocity_alone(const kiln_apply_world* t, const uint8_t* rec,
                                                                int64_t high_water, int64_t* moving_delta) {
    int64_t index = live_published(t, rec, high_water);
    if (index < 0) return 0;
    float value[3] = {read_f32(rec + 16), read_f32(rec + 20), read_f32(rec + 24)};
    if (!finite3(value[0], value[1], value[2])) return 0;
    write_velocity(t->velocities, t->integration_held, t->rows, index, value, moving_delta);
    return 1;
}

/*
 * The commonest batch of all, a run of instances that each posted one TRANSLATE of their own
 * (W1's movers), in a loop of its own: every value it needs stays in a register, where the
 * batch loop below, with the general path's state live around it, kept its tables and counts
 * on the stack and reloaded them per instance. The checks are those of kiln_apply_batch's short
 * path, or-ed into a few branches; an instance it does not apply (anything else, or a record that
 * would fail) ends the run, and kiln_apply_batch takes that instance as before. Instances with
 * an empty range and nothing reported are skipped, as there. Returns the index it stopped at;
 * *moved gets the number of records applied.
 */
static __attribute__((noinline)) int32_t translate_run(const uint8_t* data, int64_t data_size, const int64_t* entries,
                                                       const int32_t* ids, const int32_t* quotas, const int64_t* owns,
                                                       int32_t i, int32_t n, const int32_t* generations,
                                                       const uint8_t* alive, float* positions, kiln_entity_row* rows,
                                                       kiln_position_entry* position_table, int row_positions, uint32_t limit,
                                                       int64_t* moved) {
    int64_t count = 0;
    /* A batch's entries are mostly one library's array in order: the next entry is taken to
     * follow the previous one, and entries[i] only checked to agree (an instance where it does
     * not ends the run), so the entry's loads do not wait for its address's load. */
    const kiln_instance* e = i < n ? (const kiln_instance*)(uintptr_t)entries[i] : NULL;
    for (; i < n; i++, e++) {
        if ((uintptr_t)entries[i] != (uintptr_t)e) break;
        /* an own transform comes before the range: the batch loop's (own_run stopped at it) */
        if (owns != NULL && ((const kiln_own_transform*)(uintptr_t)owns[i])->kind != 0) break;
        uint32_t offset = e->cmd_offset, length = e->cmd_bytes;
        uint32_t reported = e->cmd_refused | e->log_dropped;
        if ((length | reported) == 0) continue; /* as CommandRanges.add */
        int32_t quota = quotas[i];
        /* kiln_apply_batch's range checks for a 32-byte range: quota, refusals, alignment, bounds */
        if ((length != VEC3_RECORD_BYTES) | (reported != 0) | ((quota > 0) & (quota < VEC3_RECORD_BYTES))
                | ((offset & 7) != 0) | (offset >> 31 != 0) | ((int64_t)offset + VEC3_RECORD_BYTES > data_size)) {
            break;
        }
        const uint8_t* rec = data + offset;
        uint64_t target = read_u64(rec + 8);
        uint32_t index = (uint32_t)target, generation = (uint32_t)(target >> 32);
        /* limit = min(high water, published rows): a row past the table is apply_range's to mark */
        if ((read_u64(rec) != header_word(CMD_TRANSLATE, (uint32_t)ids[i])) | (generation - 1u >= PENDING_GENERATION - 1u)
                | (index >= limit)) {
            break;
        }
        if (!alive[index] || (uint32_t)generations[index] != generation) break;
        float* p = positions + (size_t)index * 3;
        float nx = p[0] + read_f32(rec + 16), ny = p[1] + read_f32(rec + 20), nz = p[2] + read_f32(rec + 24);
        if (!finite3(nx, ny, nz)) break;
        p[0] = nx; p[1] = ny; p[2] = nz;
        write_position(position_table, rows, row_positions, index, p);
        count++;
    }
    *moved = count;
    return i;
}

/*
 * An instance's own transform (kiln_own_transform: its update's first request, a vec3 transform
 * of its own entity, written into the engine's column instead of as a record) applied as
 * apply_range applies the record it stands for: the entity of its kiln_instance entry (engine-
 * written, but in memory the script could write: checked like any record's target), live and of
 * its generation, the value or result finite. 0, with nothing written, when it would fail.
 */
static inline int apply_own(apply_pass* a, uint64_t target, const kiln_own_transform* own, int64_t high_water) {
    int32_t index = (int32_t)(uint32_t)target;
    uint32_t generation = (uint32_t)(target >> 32);
    if (generation == 0 || generation == PENDING_GENERATION || index < 0 || index >= high_water
            || !a->t.alive[index] || (uint32_t)a->t.generations[index] != generation) {
        return 0;
    }
    return apply_vec3(a, (int)own->kind, index, own->value.x, own->value.y, own->value.z);
}

/* What an own run (below) counts: position changes, velocity changes, change in moving entities. */
typedef struct own_counts {
    int64_t moved, steered, moving_delta;
} own_counts;

/* Whether none of the four bytes of x is zero (alive flags of four entities read as one word). */
static inline int no_zero_byte(uint32_t x) {
    return ((x - 0x01010101u) & ~x & 0x80808080u) == 0;
}

/*
 * Four consecutive instances of a TRANSLATE stretch at once, when each passes own_stretch's
 * checks and their entities are four consecutive indices (W1's movers: entities spawned in order,
 * scripts attached in order): the four slots' values shuffled into the layout of the four
 * positions (12 floats, three vector loads), added, checked finite, stored in three vector
 * stores into the world's positions and as four 16-byte entries (position, generation) into the
 * snapshot's position table. 0, with nothing written,
 * when any of them fails a check: own_stretch then takes them one at a time. The checks are the
 * scalar loop's, per instance: kind, nothing else to apply or report, index below `limit`, alive
 * and of the entry's generation, a finite result. The scalar loop was instruction-bound (41
 * instructions per instance under callgrind).
 */
static inline __attribute__((always_inline)) int translate4(const kiln_instance* e, kiln_own_transform* o,
                                                            const int32_t* generations, const uint8_t* alive,
                                                            float* positions, kiln_position_entry* position_table, uint32_t limit) {
    if ((o[0].kind != CMD_TRANSLATE) | (o[1].kind != CMD_TRANSLATE) | (o[2].kind != CMD_TRANSLATE)
            | (o[3].kind != CMD_TRANSLATE)) {
        return 0;
    }
    uint64_t busy = 0;
    for (int k = 0; k < 4; k++) {
        busy |= e[k].cmd_bytes | read_u64((const uint8_t*)&e[k] + offsetof(kiln_instance, cmd_refused));
    }
    uint64_t t0 = e[0].entity, t1 = e[1].entity, t2 = e[2].entity, t3 = e[3].entity;
    uint32_t index = (uint32_t)t0;
    if ((busy != 0) | ((uint32_t)t1 != index + 1u) | ((uint32_t)t2 != index + 2u) | ((uint32_t)t3 != index + 3u)
            | (index >= limit) | (limit - index < 4u)) {
        return 0;
    }
    uint32_t alive4;
    memcpy(&alive4, alive + index, sizeof alive4);
    if (!no_zero_byte(alive4)) return 0;
    const int32_t* g = generations + index;
    if (((uint32_t)g[0] != (uint32_t)(t0 >> 32)) | ((uint32_t)g[1] != (uint32_t)(t1 >> 32))
            | ((uint32_t)g[2] != (uint32_t)(t2 >> 32)) | ((uint32_t)g[3] != (uint32_t)(t3 >> 32))) {
        return 0;
    }
    v4f s0, s1, s2, s3; /* x y z kind each */
    memcpy(&s0, &o[0], sizeof s0);
    memcpy(&s1, &o[1], sizeof s1);
    memcpy(&s2, &o[2], sizeof s2);
    memcpy(&s3, &o[3], sizeof s3);
    /* the positions' layout: x0 y0 z0 x1 | y1 z1 x2 y2 | z2 x3 y3 z3 */
    v4f d0 = __builtin_shufflevector(s0, s1, 0, 1, 2, 4);
    v4f d1 = __builtin_shufflevector(s1, s2, 1, 2, 4, 5);
    v4f d2 = __builtin_shufflevector(s2, s3, 2, 4, 5, 6);
    float* p = positions + (size_t)index * 3;
    v4f p0, p1, p2;
    memcpy(&p0, p, sizeof p0);
    memcpy(&p1, p + 4, sizeof p1);
    memcpy(&p2, p + 8, sizeof p2);
    v4f r0 = p0 + d0, r1 = p1 + d1, r2 = p2 + d2;
    if (!finite4((r0 - r0) + (r1 - r1) + (r2 - r2))) return 0; /* NaN in any lane for a non-finite one */
    memcpy(p, &r0, sizeof r0);
    memcpy(p + 4, &r1, sizeof r1);
    memcpy(p + 8, &r2, sizeof r2);
    /* the table's entries: each position with its generation (the four just checked) */
    v4i gi;
    memcpy(&gi, g, sizeof gi);
    v4f gf;
    memcpy(&gf, &gi, sizeof gf);
    v4f e0 = __builtin_shufflevector(r0, gf, 0, 1, 2, 4);
    v4f e1 = __builtin_shufflevector(__builtin_shufflevector(r0, r1, 3, 4, 5, 5), gf, 0, 1, 2, 5);
    v4f e2 = __builtin_shufflevector(__builtin_shufflevector(r1, r2, 2, 3, 4, 4), gf, 0, 1, 2, 6);
    v4f e3 = __builtin_shufflevector(r2, gf, 1, 2, 3, 7);
    kiln_position_entry* q = position_table + index;
    memcpy(&q[0], &e0, sizeof e0);
    memcpy(&q[1], &e1, sizeof e1);
    memcpy(&q[2], &e2, sizeof e2);
    memcpy(&q[3], &e3, sizeof e3);
    o[0].kind = 0;
    o[1].kind = 0;
    o[2].kind = 0;
    o[3].kind = 0;
    return 1;
}

/*
 * One stretch of an own run: instances [i, end) that each left one own transform of kind `want`
 * (constant where it is inlined: each kind gets a loop of its own, which measured faster than one
 * loop choosing per instance) and an empty range, or nothing at all. Returns where it stopped.
 */
static inline __attribute__((always_inline)) int32_t own_stretch(
        uint32_t want, const kiln_instance* e, kiln_own_transform* o, int32_t i, int32_t end,
        const int32_t* generations, const uint8_t* alive, float* positions, float* velocities,
        uint8_t* integration_held, kiln_entity_row* rows, kiln_position_entry* position_table, int row_positions, uint32_t limit,
        own_counts* c) {
    for (; i < end; i++, e++, o++) {
        /* four at once where they allow it (a TRANSLATE stretch writing the table alone: the rows'
         * positions are not kept) */
        if (want == CMD_TRANSLATE && position_table != NULL && !row_positions && end - i >= 4
                && translate4(e, o, generations, alive, positions, position_table, limit)) {
            c->moved += 4;
            i += 3, e += 3, o += 3; /* and the loop's step: the fourth */
            continue;
        }
        uint32_t kind = o->kind;
        /* cmd_refused and log_dropped are adjacent: one 8-byte load for both */
        uint64_t busy = e->cmd_bytes | read_u64((const uint8_t*)e + offsetof(kiln_instance, cmd_refused));
        if (kind == 0) {
            if (busy == 0) continue; /* nothing to apply, as CommandRanges.add */
            break;
        }
        uint64_t target = e->entity;
        uint32_t index = (uint32_t)target, generation = (uint32_t)(target >> 32);
        /* of this stretch's kind, alone, on a live entity with a published row (a live entity's
         * generation is never 0 or PENDING_GENERATION: the world skips both, so the generation
         * compare also refuses a null or pending handle) */
        if ((kind != want) | (busy != 0) | (index >= limit)) break;
        if (!alive[index] || (uint32_t)generations[index] != generation) break;
        /* the value and its finite check in one vector: the slot's fourth lane is its kind
         * (3, 4 or 9), a tiny finite float */
        v4f v;
        memcpy(&v, o, sizeof v);
        if (want == CMD_TRANSLATE) {
            float* p = positions + (size_t)index * 3;
            v2f xy; /* x and y in one load, z inserted: the three loads and two shuffles were four instructions */
            memcpy(&xy, p, sizeof xy);
            v4f sum = __builtin_shufflevector(xy, (v2f){p[2], 0.0f}, 0, 1, 2, 3) + v;
            if (!finite4(sum)) break;
            memcpy(p, &sum, 3 * sizeof(float));
            write_position(position_table, rows, row_positions, index, p);
            c->moved++;
        } else if (want == CMD_SET_POSITION) {
            if (!finite4(v)) break;
            float* p = positions + (size_t)index * 3;
            memcpy(p, &v, 3 * sizeof(float));
            write_position(position_table, rows, row_positions, index, p);
            c->moved++;
        } else { /* CMD_SET_VELOCITY */
            if (!finite4(v)) break;
            float value[3];
            memcpy(value, &v, sizeof value);
            write_velocity(velocities, integration_held, rows, index, value, &c->moving_delta);
            c->steered++;
        }
        o->kind = 0;
    }
    return i;
}

/*
 * translate_run and velocity_alone for own transforms (the SDK's, when the engine offers the
 * column): a run of instances that each left one own TRANSLATE, SET_POSITION or SET_VELOCITY and
 * an empty range, or nothing at all, applied with the checks of apply_own in stretches of one
 * kind, each slot cleared. The run is the engine's (run_ends[i]: the end of i's run, instances
 * of one library's entries in order), so an entry and its slot follow the previous ones with no
 * per-instance address read. Anything else (SET_SCALE, which apply_vec3 takes;
 * a range; a request that would fail) ends the run for kiln_apply_batch to take.
 */
static __attribute__((noinline)) int32_t own_run(const int64_t* entries, const int64_t* owns, const int32_t* run_ends,
                                                 int32_t i, int32_t n, const int32_t* generations, const uint8_t* alive,
                                                 float* positions, float* velocities, uint8_t* integration_held,
                                                 kiln_entity_row* rows, kiln_position_entry* position_table, int row_positions,
                                                 uint32_t limit, own_counts* out) {
    own_counts counts = {0, 0, 0}; /* here, not through out: a register, not a store per instance */
    own_counts* c = &counts;
    int32_t end = i < n ? run_ends[i] : n;
    if (end > n) end = n;
    if (i >= end) return i;
    const kiln_instance* first = (const kiln_instance*)(uintptr_t)entries[i];
    kiln_own_transform* slots = (kiln_own_transform*)(uintptr_t)owns[i];
    int32_t start = i;
    while (i < end) {
        const kiln_instance* e = first + (i - start);
        kiln_own_transform* o = slots + (i - start);
        int32_t to;
        switch (o->kind) {
        case CMD_TRANSLATE: /* the commonest: a loop of its own for the table alone (no row write to test for) */
            if (position_table != NULL && !row_positions) {
                to = own_stretch(CMD_TRANSLATE, e, o, i, end, generations, alive, positions, velocities,
                                 integration_held, rows, position_table, 0, limit, c);
            } else {
                to = own_stretch(CMD_TRANSLATE, e, o, i, end, generations, alive, positions, velocities,
                                 integration_held, rows, position_table, row_positions, limit, c);
            }
            break;
        case CMD_SET_VELOCITY:
            to = own_stretch(CMD_SET_VELOCITY, e, o, i, end, generations, alive, positions, velocities,
                             integration_held, rows, position_table, row_positions, limit, c);
            break;
        case CMD_SET_POSITION:
            to = own_stretch(CMD_SET_POSITION, e, o, i, end, generations, alive, positions, velocities,
                             integration_held, rows, position_table, row_positions, limit, c);
            break;
        case 0: { /* instances that left nothing at all (a phase of readers: W5's last) are passed here */
            to = i;
            for (; to < end && o->kind == 0; to++, e++, o++) {
                if ((e->cmd_bytes | read_u64((const uint8_t*)e + offsetof(kiln_instance, cmd_refused))) != 0) break;
            }
            break;
        }
        default: /* a kind not taken here */
            to = i;
            break;
        }
        if (to == i) break;
        i = to;
    }
    *out = counts;
    return i;
}

/*
 * The collect and the apply of one phase's batch in one pass (kiln_collect_ranges followed by
 * kiln_apply_hot, without the round trip through the range tables): reads each instance's range
 * from its kiln_instance in canonical order and applies its hot records. Stops at the first
 * instance whose range is flagged for Java (as kiln_collect_ranges flags it), lies outside the
 * buffer, or holds a record not applied here; returns that instance's index (n when every one was
 * applied) with the record's byte offset in counters[KILN_APPLY_STOP_OFFSET].
 */
int32_t kiln_apply_batch(const uint8_t* data, int64_t data_size, const int64_t* entries, const int32_t* ids,
                         const int32_t* quotas, const int64_t* owns, const int32_t* run_ends, int32_t from, int32_t n,
                         const int32_t* generations, const uint8_t* alive, float* positions, float* scales,
                         float* velocities, uint8_t* integration_held, uint8_t* changes, int32_t* dirty_list,
                         int64_t* counters, kiln_entity_row* rows, int32_t row_capacity) {
    kiln_avx_clear_upper();
    apply_pass a = pass_begin((kiln_apply_world){
        .generations = generations, .alive = alive, .positions = positions, .scales = scales,
        .velocities = velocities, .integration_held = integration_held, .changes = changes,
        .dirty_list = dirty_list, .counters = counters, .rows = rows, .row_capacity = row_capacity,
    });
    const kiln_apply_world world = a.t;
    const int64_t high_water = counters[KILN_APPLY_HIGH_WATER];
    int64_t applied = 0, moved = 0, steered = 0, moving_delta = 0, stop_offset = 0;
    /* index < both: a valid int32, and a row in the published table */
    const uint32_t limit = (uint32_t)(high_water < row_capacity ? high_water : (row_capacity < 0 ? 0 : row_capacity));
    /* A run is tried first and again after each TRANSLATE this loop applies alone: not after
     * every instance it takes, or a batch of other ranges (a steering phase's SET_VELOCITYs)
     * would pay a run that stops at once per instance. */
    int try_run = 1;
    /* The phase's signal lane when bound: each instance's part is taken before its range, so the
     * runs, which skip instances without a range, are not tried. */
    const kiln_lane_binding* lanes = kiln_lanes_bound();
    if (lanes != NULL && lanes->count < n) lanes = NULL; /* not this batch's: every part stays for the engine */
    int32_t i = from;
    for (; i < n; i++) {
        if (try_run && lanes == NULL) {
            int64_t run_moved;
            run_moved = 0;
            int32_t at = i;
            if (owns != NULL) {
                own_counts c = {0, 0, 0};
                i = own_run(entries, owns, run_ends, i, n, generations, alive, positions, velocities, integration_held,
                            rows, world.position_table, world.row_positions, limit, &c);
                run_moved = c.moved;
                steered += c.steered;
                moving_delta += c.moving_delta;
            }
            if (i == at) { /* no own transform there: movers posting records (a C script's, an older SDK's) */
                i = translate_run(data, data_size, entries, ids, quotas, owns, i, n, generations, alive, positions,
                                  rows, world.position_table, world.row_positions, limit, &run_moved);
            }
            moved += run_moved;
            try_run = 0;
            if (i == n) break;
        }
        /* The entry's outputs are script-written: untrusted, checked like a collected range's. */
        const kiln_instance* e = (const kiln_instance*)(uintptr_t)entries[i];
        int32_t quota = quotas[i];
        if (owns != NULL) { /* the own transform first: it stands for the range's first record (no part of the quota) */
            kiln_own_transform* own = (kiln_own_transform*)(uintptr_t)owns[i];
            if (own->kind != 0) {
                if (!apply_own(&a, e->entity, own, high_water)) {
                    stop_offset = KILN_APPLY_STOP_AT_OWN;
                    break;
                }
                own->kind = 0;
                applied++;
            }
        }
        int64_t offset = e->cmd_offset, length = e->cmd_bytes, end = offset + length;
        uint32_t refused_here = e->cmd_refused, dropped_here = e->log_dropped;
        uint32_t reported = refused_here | dropped_here;
        if (lanes != NULL) { /* the lane part next: its signals were posted before the range's records */
            kiln_lane_part* part = (kiln_lane_part*)(uintptr_t)lanes->parts[i];
            uint32_t lane_count = part->count;
            if (lane_count != 0) {
                /* refusals to report, or the part and the range past the quota together: Java takes
                 * both, refusing in posting order (kiln_signals.h) */
                int over = quota > 0 && (uint64_t)lane_count * KILN_LANE_SIGNAL_QUOTA_BYTES + (uint64_t)length > (uint64_t)quota;
                int took = !over && reported == 0
                        && kiln_lane_take(lanes->entries, lanes->capacity, part, (uint32_t)ids[i], 0, generations, alive,
                                          high_water);
                applied += lane_count - part->count; /* what it queued, also when it stopped within the part */
                if (!took) {
                    stop_offset = KILN_APPLY_STOP_AT_LANE;
                    break;
                }
            }
        }
        if ((length | reported) == 0) { /* as CommandRanges.add */
            try_run = owns != NULL; /* an own transform alone that the run left (a SET_SCALE): try the next */
            continue;
        }
        /* The checks of kiln_collect_ranges (java_only) and kiln_apply_hot, or-ed into one branch. */
        if (((quota > 0) & (length > quota)) | (reported != 0) | ((((uint32_t)offset | (uint32_t)length) >> 31) != 0)
                | (end > data_size) | ((offset & 7) != 0)) {
            stop_offset = offset;
            break;
        }
        uint32_t owner = (uint32_t)ids[i];
        if (length == VEC3_RECORD_BYTES) {
            /* counted apart: a and applied stay out of registers (apply_range takes them) */
            uint64_t header = read_u64(data + offset);
            if (header == header_word(CMD_TRANSLATE, owner) && translate_alone(&world, data + offset, high_water)) {
                moved++;
                try_run = 1;
                continue;
            }
            if (header == header_word(CMD_SET_VELOCITY, owner)
                    && velocity_alone(&world, data + offset, high_water, &moving_delta)) {
                steered++;
                continue;
            }
        }
        int64_t at = apply_range(&a, data, offset, end, owner, high_water, &applied);
        if (at < end) {
            stop_offset = at;
            break;
        }
    }
    a.moving_count += moving_delta;
    a.positions_version += moved; /* one bump per position change */
    pass_end(&a, applied + moved + steered, stop_offset);
    return i;
}

int32_t kiln_collect_ranges(const int64_t* entries, const int32_t* ids, const int32_t* quotas, int32_t n,
                            int32_t* offsets, int32_t* lengths, int32_t* owners, int32_t* out_quotas,
                            int32_t* refused, int32_t* dropped, int32_t* java_only, int32_t count) {
    kiln_avx_clear_upper();
    for (int32_t i = 0; i < n; i++) {
        /* The entry's outputs are script-written: copied as they are, checked when decoded. */
        const kiln_instance* e = (const kiln_instance*)(uintptr_t)entries[i];
        int32_t length = (int32_t)e->cmd_bytes, refused_here = (int32_t)e->cmd_refused;
        int32_t dropped_here = (int32_t)e->log_dropped, quota = quotas[i];
        if (length == 0 && refused_here == 0 && dropped_here == 0) continue; /* as CommandRanges.add */
        offsets[count] = (int32_t)e->cmd_offset;
        lengths[count] = length;
        owners[count] = ids[i]; /* the engine's id, not the entry's instance_id */
        out_quotas[count] = quota;
        refused[count] = refused_here;
        dropped[count] = dropped_here;
        java_only[count] = (quota > 0 && length > quota) || refused_here != 0 || dropped_here != 0;
        count++;
    }
    return count;
}

int32_t kiln_entries_quiet(const kiln_instance* entries, int32_t n) {
    kiln_avx_clear_upper();
    uint32_t any = 0; /* no early exit: the common answer is "quiet", and a branch-free or is faster */
    for (int32_t i = 0; i < n; i++) any |= entries[i].cmd_bytes | entries[i].cmd_refused | entries[i].log_dropped;
    return any == 0;
}

int32_t kiln_integrate(int32_t from, float dt, const uint8_t* alive, float* positions, const float* velocities,
                       const uint8_t* integration_held, uint8_t* changes, int32_t* dirty_list, int64_t* counters,
                       kiln_entity_row* rows, int32_t row_capacity) {
    kiln_avx_clear_upper();
    /* the pass's tables and counts as every pass takes them (only the dirty count and the
     * positions' version are handed back below) */
    apply_pass a = pass_begin((kiln_apply_world){
        .alive = alive, .positions = positions, .changes = changes, .dirty_list = dirty_list,
        .counters = counters, .rows = rows, .row_capacity = row_capacity,
    });
    const int32_t high_water = (int32_t)counters[KILN_APPLY_HIGH_WATER];
    int32_t i = from;
    for (; i < high_water; i++) {
        if (!alive[i]) continue;
        const float* v = velocities + (int64_t)i * 3;
        if (v[0] == 0.0f && v[1] == 0.0f && v[2] == 0.0f) continue;
        float* p = positions + (int64_t)i * 3;
        /* Two roundings, as Java's p + v * dt (the build turns off contraction into one FMA). */
        float x = p[0] + v[0] * dt, y = p[1] + v[1] * dt, z = p[2] + v[2] * dt;
        if (!finite3(x, y, z)) {
            if (!integration_held[i]) break; /* the engine reports it (once) and goes on after it */
            continue;
        }
        p[0] = x; p[1] = y; p[2] = z;
        a.positions_version++;
        publish_position(&a, i, p);
    }
    counters[KILN_APPLY_DIRTY_COUNT] = a.dirty_count;
    counters[KILN_APPLY_POSITIONS_VERSION] = a.positions_version;
    return i;
}
