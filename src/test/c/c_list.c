/* A C script that keeps a growable list in engine memory through abi/kiln.h alone (frame
 * struct_version 3): its State holds a kiln_handle; every update appends the update count
 * through kiln_heap.reserve and the block table, and the first update past 100 frees it with
 * kiln_heap.release. Proves the container ABI is plain C, like the rest. */
#include "kiln_script.h"

typedef struct c_list_state { kiln_handle list; uint32_t updates; int32_t last_status; } c_list_state;

static const kiln_field_info fields[] = {
    {"list", KILN_FIELD_OTHER, 0, 8, 0},
    {"updates", KILN_FIELD_U32, 8, 4, 0},
    {"last_status", KILN_FIELD_I32, 12, 4, 0},
};

KILN_SCRIPT_METADATA("c_list", c_list_state, fields);

kiln_status kiln_script_init(const kiln_frame* frame, kiln_instance* instances, uint32_t count) {
    for (uint32_t i = 0; i < count; i++) {
        kiln_instance_begin(frame, &instances[i]);
        kiln_instance_end(frame, &instances[i], KILN_OK); /* zeroed State: an empty handle */
    }
    return KILN_OK;
}

/* Appends `value`: grows through the engine when full (which may move the block table). */
static kiln_status append(kiln_heap* heap, uint32_t instance, kiln_handle* list, uint32_t value) {
    kiln_block* b = kiln_heap_block(heap, *list);
    if (b == NULL || b->len == b->capacity) {
        kiln_status s = heap->reserve(heap, instance, list, sizeof(uint32_t), b == NULL ? 1u : b->len + 1u);
        if (s != KILN_OK) return s;
        b = kiln_heap_block(heap, *list);
    }
    ((uint32_t*)b->data)[b->len++] = value;
    return KILN_OK;
}

kiln_status kiln_script_update(const kiln_frame* frame, kiln_instance* instances, uint32_t count) {
    for (uint32_t i = 0; i < count; i++) {
        kiln_instance* inst = &instances[i];
        kiln_instance_begin(frame, inst);
        c_list_state* s = (c_list_state*)inst->state;
        kiln_heap* heap = frame->struct_version >= 3u ? frame->heap : NULL;
        s->updates++;
        if (heap == NULL) s->last_status = KILN_ERR_OUT_OF_MEMORY;
        else if (s->updates > 100) s->last_status = heap->release(heap, inst->instance_id, &s->list);
        else s->last_status = append(heap, inst->instance_id, &s->list, s->updates);
        kiln_instance_end(frame, inst, KILN_OK);
    }
    return KILN_OK;
}

kiln_status kiln_script_shutdown(const kiln_frame* frame, kiln_instance* instances, uint32_t count) {
    (void)frame; (void)instances; (void)count;
    return KILN_OK;
}
