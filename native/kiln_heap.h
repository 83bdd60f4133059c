/*
 * kiln_heap.h — the engine's side of engine-owned container memory (native/kiln_heap.c). The
 * script side (kiln_heap, kiln_block, kiln_handle and the function table) is in abi/kiln.h;
 * these are the calls only the engine makes (through FFM, dev.kiln.script.ScriptHeap). Built
 * into the fault guard's library: an engine-owned library that is never unloaded.
 */
#ifndef KILN_HEAP_H
#define KILN_HEAP_H

#include <stdint.h>
#include "kiln.h"

/* Per-instance bookkeeping the engine reads after a call. 32 bytes. */
typedef struct kiln_heap_usage {
    uint64_t used_bytes;     /*  0  capacity bytes of the instance's blocks */
    uint64_t budget_bytes;   /*  8 */
    uint32_t blocks;         /* 16  live blocks */
    uint32_t refused;        /* 20  reserve calls refused for the budget since the last read */
    uint64_t refused_bytes;  /* 24  bytes the last refused call asked for in total */
} kiln_heap_usage;

kiln_heap* kiln_heap_create(uint64_t default_budget);
void kiln_heap_destroy(kiln_heap* heap);
void kiln_heap_set_budget(kiln_heap* heap, uint32_t instance, uint64_t bytes);
/* Fills *out; returns 0 when the instance has no account (nothing allocated, no budget set). */
int32_t kiln_heap_usage_of(kiln_heap* heap, uint32_t instance, kiln_heap_usage* out, int32_t clear_refused);
/* Frees every block of `instance` and forgets its account; returns how many blocks. */
uint32_t kiln_heap_free_instance(kiln_heap* heap, uint32_t instance);
/* Frees block `id` whatever its owner (the engine's sweep of blocks a State no longer holds). */
void kiln_heap_free_block(kiln_heap* heap, uint32_t id);
/* Replaces block handle's elements by `len` elements of `elem_size` bytes copied from `bytes`
 * (hot-reload migration of the element type). Not bounded by the budget: the script did not ask
 * for it; the next growth is. */
kiln_status kiln_heap_replace(kiln_heap* heap, kiln_handle handle, uint32_t elem_size, uint32_t len,
                              const void* bytes);
/* The instances refused for their budget since the last call (at most `capacity`, each once
 * until its refusal count is read with kiln_heap_usage_of(..., clear_refused = 1)); *unlisted
 * counts the ones that did not fit. */
uint32_t kiln_heap_take_refusals(kiln_heap* heap, uint32_t* out, uint32_t capacity, uint32_t* unlisted);
/* How many instances kiln_heap_take_refusals would report now (listed and unlisted). */
uint32_t kiln_heap_refusals_pending(kiln_heap* heap);
/* A new block of `instance` holding `len` elements of `elem_size` bytes copied from `bytes`,
 * outside the budget (a hot reload moving an isolated script's containers into its new host);
 * writes its handle. */
kiln_status kiln_heap_adopt(kiln_heap* heap, uint32_t instance, uint32_t elem_size, uint32_t len, const void* bytes,
                            kiln_handle* out);
/* Totals over every instance, for tests and the inspector. */
uint64_t kiln_heap_total_bytes(kiln_heap* heap);
uint32_t kiln_heap_live_blocks(kiln_heap* heap);
/* Takes back all scratch memory (after every batch call). */
void kiln_heap_scratch_reset(kiln_heap* heap);

#endif
