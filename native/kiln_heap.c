/*
 * kiln_heap.c — engine-owned memory for the containers scripts keep in State (kiln.List,
 * kiln.String): a table of blocks (abi/kiln.h, kiln_block) that scripts read directly, grown
 * and freed through kiln_heap's function table, with a memory budget per instance.
 *
 * Why here and not in the script library: State is copied into a new library on every hot
 * reload and the old library is unloaded, so anything the script library allocated would be
 * orphaned (or point into unmapped code). Blocks belong to an instance, not to a library: they
 * survive reloads untouched and are freed when the instance detaches.
 *
 * Single-threaded by design: scripts run on the frame thread and so does every engine call.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "kiln_guard.h"
#include "kiln_heap.h"

/* Slots of the block table at first; it doubles when full. */
#define INITIAL_BLOCKS 64u
/* Accounts (instances with memory) at first; power of two, doubled at half full. */
#define INITIAL_ACCOUNTS 64u
/* A block grows to at least this many elements, so small lists do not realloc per append. */
#define MIN_GROWTH_ELEMENTS 8u
/* Instances with a refusal the engine has not reported yet, kept per heap: more in one barrier
 * are reported as a count (a runaway loop in thousands of instances is one bug, not a log). */
#define REFUSALS_MAX 64u

typedef struct account {
    uint32_t instance;       /* 0: an empty slot of the hash table */
    uint32_t blocks;
    uint64_t used;
    uint64_t budget;
    uint32_t refused;
    uint32_t budget_set;     /* 1: the engine set this budget; else the default */
    uint64_t refused_bytes;
} account;

typedef struct heap_impl {
    kiln_heap pub;           /* first: scripts see only this */
    uint32_t  block_capacity;
    uint32_t  free_head;     /* a free slot, linked through kiln_block.reserved0; 0: none */
    account*  accounts;
    uint32_t  account_capacity;
    uint32_t  account_count;
    uint64_t  default_budget;
    uint64_t  total_bytes;
    uint32_t  live_blocks;
    uint8_t*  scratch;       /* KILN_SCRATCH_BYTES, allocated on first use */
    uint64_t  scratch_used;
    uint32_t  refusals[REFUSALS_MAX]; /* instances refused since the engine last looked */
    uint32_t  refusal_count;
    uint32_t  refusals_unlisted;      /* refused instances beyond REFUSALS_MAX */
} heap_impl;

static uint32_t hash_instance(uint32_t instance) {
    return instance * 2654435761u;
}

static account* account_find(heap_impl* h, uint32_t instance) {
    uint32_t mask = h->account_capacity - 1;
    for (uint32_t i = hash_instance(instance) & mask;; i = (i + 1) & mask) {
        if (h->accounts[i].instance == instance) return &h->accounts[i];
        if (h->accounts[i].instance == 0) return NULL;
    }
}

static int accounts_grow(heap_impl* h) {
    uint32_t old_capacity = h->account_capacity;
    account* old = h->accounts;
    account* fresh = calloc((size_t)old_capacity * 2, sizeof(account));
    if (fresh == NULL) return -1;
    h->accounts = fresh;
    h->account_capacity = old_capacity * 2;
    uint32_t mask = h->account_capacity - 1;
    for (uint32_t k = 0; k < old_capacity; k++) {
        if (old[k].instance == 0) continue;
        uint32_t i = hash_instance(old[k].instance) & mask;
        while (fresh[i].instance != 0) i = (i + 1) & mask;
        fresh[i] = old[k];
    }
    free(old);
    return 0;
}

/* The instance's account, created with the default budget when `create` and it has none. */
static account* account_get(heap_impl* h, uint32_t instance, int create) {
    account* a = account_find(h, instance);
    if (a != NULL || !create) return a;
    if ((h->account_count + 1) * 2 > h->account_capacity && accounts_grow(h) != 0) return NULL;
    uint32_t mask = h->account_capacity - 1;
    uint32_t i = hash_instance(instance) & mask;
    while (h->accounts[i].instance != 0) i = (i + 1) & mask;
    a = &h->accounts[i];
    memset(a, 0, sizeof *a);
    a->instance = instance;
    a->budget = h->default_budget;
    h->account_count++;
    return a;
}

/* Linear probing's deletion: later entries of the same run shift back into the hole. */
static void account_remove(heap_impl* h, account* a) {
    uint32_t mask = h->account_capacity - 1;
    uint32_t hole = (uint32_t)(a - h->accounts);
    h->accounts[hole].instance = 0;
    h->account_count--;
    for (uint32_t j = (hole + 1) & mask; h->accounts[j].instance != 0; j = (j + 1) & mask) {
        uint32_t home = hash_instance(h->accounts[j].instance) & mask;
        int stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
        if (stays) continue;
        h->accounts[hole] = h->accounts[j];
        h->accounts[j].instance = 0;
        hole = j;
    }
}

/* A free block slot (its index), or 0 when the table cannot grow. */
static uint32_t slot_take(heap_impl* h) {
    if (h->free_head != 0) {
        uint32_t id = h->free_head;
        h->free_head = h->pub.blocks[id].reserved0;
        h->pub.blocks[id].reserved0 = 0;
        return id;
    }
    if (h->pub.block_count == h->block_capacity) {
        uint32_t capacity = h->block_capacity * 2;
        kiln_block* grown = realloc(h->pub.blocks, (size_t)capacity * sizeof(kiln_block));
        if (grown == NULL) return 0;
        memset(grown + h->block_capacity, 0, (size_t)(capacity - h->block_capacity) * sizeof(kiln_block));
        h->pub.blocks = grown;
        h->block_capacity = capacity;
    }
    return h->pub.block_count++;
}

/* Frees block `id`'s memory and puts its slot on the free list (its generation moves on, so
 * every handle to it is stale from now on). */
static void slot_free(heap_impl* h, uint32_t id) {
    kiln_block* b = &h->pub.blocks[id];
    uint64_t bytes = (uint64_t)b->capacity * b->elem_size;
    account* a = account_find(h, b->owner);
    if (a != NULL) {
        a->used -= bytes;
        a->blocks--;
    }
    h->total_bytes -= bytes;
    h->live_blocks--;
    free(b->data);
    uint32_t generation = b->generation + 1;
    memset(b, 0, sizeof *b);
    b->generation = generation == 0 ? 1 : generation;
    b->reserved0 = h->free_head;
    h->free_head = id;
}

/*
 * Scripts call reserve and release from inside a guarded call, where the watchdog's timeout
 * signal may jump back to the engine at any instruction. Jumping out of realloc would leave
 * malloc's lock held (the next malloc on this thread deadlocks) or a block half updated, so
 * the signal is held back while the heap works and delivered on the way out, at a consistent
 * point. (A crash in here is a script that corrupted the table: the guard reports it as its.)
 */
typedef struct held_signals { sigset_t previous; } held_signals;

static void hold_timeout(held_signals* held) {
    sigset_t timeout;
    sigemptyset(&timeout);
    sigaddset(&timeout, KILN_GUARD_TIMEOUT_SIGNAL);
    pthread_sigmask(SIG_BLOCK, &timeout, &held->previous);
}

static void release_timeout(const held_signals* held) {
    pthread_sigmask(SIG_SETMASK, &held->previous, NULL);
}

static kiln_status reserve_held(kiln_heap* pub, uint32_t instance, kiln_handle* handle, uint32_t elem_size,
                                uint32_t min_capacity);

static kiln_status heap_reserve(kiln_heap* pub, uint32_t instance, kiln_handle* handle, uint32_t elem_size,
                                uint32_t min_capacity) {
    held_signals held;
    hold_timeout(&held);
    kiln_status status = reserve_held(pub, instance, handle, elem_size, min_capacity);
    release_timeout(&held);
    return status;
}

static kiln_status reserve_held(kiln_heap* pub, uint32_t instance, kiln_handle* handle, uint32_t elem_size,
                                uint32_t min_capacity) {
    heap_impl* h = (heap_impl*)pub;
    if (handle == NULL || instance == 0 || elem_size == 0) return KILN_ERR_INVALID_ARGUMENT;
    account* a = account_get(h, instance, 1);
    if (a == NULL) return KILN_ERR_OUT_OF_MEMORY;
    uint32_t capacity = 0;
    if (handle->id != 0) {
        kiln_block* b = kiln_heap_block(pub, *handle);
        if (b == NULL || b->owner != instance || b->elem_size != elem_size) return KILN_ERR_INVALID_ARGUMENT;
        capacity = b->capacity;
    }
    if (min_capacity <= capacity && handle->id != 0) return KILN_OK;
    uint64_t grown = (uint64_t)capacity * 2;
    if (grown < MIN_GROWTH_ELEMENTS) grown = MIN_GROWTH_ELEMENTS;
    if (grown < min_capacity) grown = min_capacity;
    if (grown > UINT32_MAX) grown = UINT32_MAX;
    uint64_t have = (uint64_t)capacity * elem_size;
    /* Geometric growth over the budget falls back to exactly what was asked for. */
    if (a->used - have + grown * elem_size > a->budget) grown = min_capacity;
    if (min_capacity > 0 && a->used - have + grown * elem_size > a->budget) {
        if (a->refused++ == 0) { /* first since the engine last reported this instance */
            if (h->refusal_count < REFUSALS_MAX) h->refusals[h->refusal_count++] = instance;
            else h->refusals_unlisted++;
        }
        a->refused_bytes = a->used - have + grown * elem_size;
        return KILN_ERR_OUT_OF_MEMORY;
    }
    if (handle->id == 0) {
        uint32_t id = slot_take(h);
        if (id == 0) return KILN_ERR_OUT_OF_MEMORY;
        kiln_block* b = &pub->blocks[id];
        b->owner = instance;
        b->elem_size = elem_size;
        if (b->generation == 0) b->generation = 1;
        handle->id = id;
        handle->generation = b->generation;
        a->blocks++;
        h->live_blocks++;
        if (min_capacity == 0) return KILN_OK;
    }
    kiln_block* b = &pub->blocks[handle->id];
    uint8_t* data = realloc(b->data, (size_t)(grown * elem_size));
    if (data == NULL) return KILN_ERR_OUT_OF_MEMORY;
    b->data = data;
    b->capacity = (uint32_t)grown;
    a->used += grown * elem_size - have;
    h->total_bytes += grown * elem_size - have;
    return KILN_OK;
}

static kiln_status heap_release(kiln_heap* pub, uint32_t instance, kiln_handle* handle) {
    heap_impl* h = (heap_impl*)pub;
    if (handle == NULL) return KILN_ERR_INVALID_ARGUMENT;
    if (handle->id == 0) return KILN_OK;
    kiln_block* b = kiln_heap_block(pub, *handle);
    if (b == NULL || b->owner != instance) return KILN_ERR_INVALID_ARGUMENT;
    held_signals held;
    hold_timeout(&held);
    slot_free(h, handle->id);
    release_timeout(&held);
    handle->id = 0;
    handle->generation = 0;
    return KILN_OK;
}

static void* heap_scratch(kiln_heap* pub, uint32_t instance, uint64_t size, uint32_t align) {
    heap_impl* h = (heap_impl*)pub;
    (void)instance;
    if (align == 0 || (align & (align - 1)) != 0 || align > 4096) return NULL;
    if (h->scratch == NULL) {
        held_signals held;
        hold_timeout(&held);
        h->scratch = aligned_alloc(4096, KILN_SCRATCH_BYTES);
        release_timeout(&held);
        if (h->scratch == NULL) return NULL;
    }
    uint64_t at = (h->scratch_used + align - 1) & ~(uint64_t)(align - 1);
    if (at > KILN_SCRATCH_BYTES || size > KILN_SCRATCH_BYTES - at) return NULL;
    h->scratch_used = at + size;
    return h->scratch + at;
}

kiln_heap* kiln_heap_create(uint64_t default_budget) {
    heap_impl* h = calloc(1, sizeof *h);
    if (h == NULL) return NULL;
    h->pub.blocks = calloc(INITIAL_BLOCKS, sizeof(kiln_block));
    h->accounts = calloc(INITIAL_ACCOUNTS, sizeof(account));
    if (h->pub.blocks == NULL || h->accounts == NULL) {
        free(h->pub.blocks);
        free(h->accounts);
        free(h);
        return NULL;
    }
    h->pub.struct_version = KILN_HEAP_STRUCT_VERSION;
    h->pub.struct_size = sizeof(kiln_heap);
    h->pub.block_count = 1; /* id 0 means "no block" */
    h->pub.reserve = heap_reserve;
    h->pub.release = heap_release;
    h->pub.scratch = heap_scratch;
    h->block_capacity = INITIAL_BLOCKS;
    h->account_capacity = INITIAL_ACCOUNTS;
    h->default_budget = default_budget;
    return &h->pub;
}

void kiln_heap_destroy(kiln_heap* pub) {
    if (pub == NULL) return;
    heap_impl* h = (heap_impl*)pub;
    for (uint32_t id = 1; id < pub->block_count; id++) free(pub->blocks[id].data);
    free(pub->blocks);
    free(h->accounts);
    free(h->scratch);
    free(h);
}

void kiln_heap_set_budget(kiln_heap* pub, uint32_t instance, uint64_t bytes) {
    account* a = account_get((heap_impl*)pub, instance, 1);
    if (a == NULL) return;
    a->budget = bytes;
    a->budget_set = 1;
}

int32_t kiln_heap_usage_of(kiln_heap* pub, uint32_t instance, kiln_heap_usage* out, int32_t clear_refused) {
    account* a = account_find((heap_impl*)pub, instance);
    memset(out, 0, sizeof *out);
    if (a == NULL) return 0;
    out->used_bytes = a->used;
    out->budget_bytes = a->budget;
    out->blocks = a->blocks;
    out->refused = a->refused;
    out->refused_bytes = a->refused_bytes;
    if (clear_refused) a->refused = 0;
    return 1;
}

uint32_t kiln_heap_free_instance(kiln_heap* pub, uint32_t instance) {
    heap_impl* h = (heap_impl*)pub;
    uint32_t freed = 0;
    account* a = account_find(h, instance);
    if (a == NULL) return 0;
    for (uint32_t id = 1; id < pub->block_count && a->blocks > 0; id++) {
        if (pub->blocks[id].owner != instance) continue;
        slot_free(h, id);
        freed++;
    }
    account_remove(h, a);
    return freed;
}

void kiln_heap_free_block(kiln_heap* pub, uint32_t id) {
    if (id == 0 || id >= pub->block_count || pub->blocks[id].owner == 0) return;
    slot_free((heap_impl*)pub, id);
}

kiln_status kiln_heap_replace(kiln_heap* pub, kiln_handle handle, uint32_t elem_size, uint32_t len, const void* bytes) {
    heap_impl* h = (heap_impl*)pub;
    kiln_block* b = kiln_heap_block(pub, handle);
    if (b == NULL || elem_size == 0) return KILN_ERR_INVALID_ARGUMENT;
    uint64_t size = (uint64_t)len * elem_size;
    uint8_t* data = NULL;
    if (len > 0) {
        data = malloc((size_t)size);
        if (data == NULL) return KILN_ERR_OUT_OF_MEMORY;
        memcpy(data, bytes, (size_t)size);
    }
    uint64_t had = (uint64_t)b->capacity * b->elem_size;
    account* a = account_find(h, b->owner);
    if (a != NULL) a->used = a->used - had + size;
    h->total_bytes = h->total_bytes - had + size;
    free(b->data);
    b->data = data;
    b->len = len;
    b->capacity = len;
    b->elem_size = elem_size;
    return KILN_OK;
}

kiln_status kiln_heap_adopt(kiln_heap* pub, uint32_t instance, uint32_t elem_size, uint32_t len, const void* bytes,
                            kiln_handle* out) {
    heap_impl* h = (heap_impl*)pub;
    out->id = 0;
    out->generation = 0;
    if (instance == 0 || elem_size == 0) return KILN_ERR_INVALID_ARGUMENT;
    account* a = account_get(h, instance, 1);
    if (a == NULL) return KILN_ERR_OUT_OF_MEMORY;
    /* A block without room yet (reserve with capacity 0 takes a slot only), then its elements
     * as kiln_heap_replace writes them: outside the budget, like every engine-made block. */
    kiln_handle handle = {0, 0};
    uint64_t budget = a->budget;
    a->budget = UINT64_MAX;
    kiln_status status = reserve_held(pub, instance, &handle, elem_size, 0);
    a = account_find(h, instance);
    if (a != NULL) a->budget = budget;
    if (status != KILN_OK) return status;
    status = kiln_heap_replace(pub, handle, elem_size, len, bytes);
    if (status != KILN_OK) {
        kiln_heap_free_block(pub, handle.id);
        return status;
    }
    *out = handle;
    return KILN_OK;
}

uint32_t kiln_heap_take_refusals(kiln_heap* pub, uint32_t* out, uint32_t capacity, uint32_t* unlisted) {
    heap_impl* h = (heap_impl*)pub;
    uint32_t n = h->refusal_count < capacity ? h->refusal_count : capacity;
    memcpy(out, h->refusals, n * sizeof(uint32_t));
    *unlisted = h->refusals_unlisted + (h->refusal_count - n);
    h->refusal_count = 0;
    h->refusals_unlisted = 0;
    return n;
}

uint32_t kiln_heap_refusals_pending(kiln_heap* pub) {
    heap_impl* h = (heap_impl*)pub;
    return h->refusal_count + h->refusals_unlisted;
}

uint64_t kiln_heap_total_bytes(kiln_heap* pub) {
    return ((heap_impl*)pub)->total_bytes;
}

uint32_t kiln_heap_live_blocks(kiln_heap* pub) {
    return ((heap_impl*)pub)->live_blocks;
}

void kiln_heap_scratch_reset(kiln_heap* pub) {
    ((heap_impl*)pub)->scratch_used = 0;
}
