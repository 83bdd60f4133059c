/* A C script that follows the request quota and the batch room protocol of abi/kiln.h: every
 * update, each instance posts `C_FLOOD_COUNT` translate requests (or its State's `count`, when
 * set) through kiln_instance_append, counting how many were accepted and refused. With
 * `greedy` = 1 in its State it ignores the quota and appends with kiln_cmd_append, as an older C
 * script would: then the engine enforces the quota on the range it reads. With `greedy` = 2 it
 * lies: it stops for room before that instance whatever the room (the engine must not loop). */
#include "kiln_script.h"

#define C_FLOOD_COUNT 100000u

typedef struct c_flood_state { uint32_t count; uint32_t greedy; uint64_t ok; uint64_t full; uint64_t updates; } c_flood_state;

static const kiln_field_info fields[] = {
    {"count", KILN_FIELD_U32, 0, 4, 0},
    {"greedy", KILN_FIELD_U32, 4, 4, 0},
    {"ok", KILN_FIELD_U64, 8, 8, 0},
    {"full", KILN_FIELD_U64, 16, 8, 0},
    {"updates", KILN_FIELD_U64, 24, 8, 0},
};

KILN_SCRIPT_METADATA("c_flood", c_flood_state, fields);

kiln_status kiln_script_init(const kiln_frame* frame, kiln_instance* instances, uint32_t count) {
    for (uint32_t i = 0; i < count; i++) {
        kiln_instance* inst = &instances[i];
        if (!kiln_instance_begin_with_room(frame, inst)) return KILN_ERR_NEEDS_ROOM;
        c_flood_state* s = (c_flood_state*)inst->state;
        s->count = C_FLOOD_COUNT;
        kiln_instance_end(frame, inst, KILN_OK);
    }
    return KILN_OK;
}

kiln_status kiln_script_update(const kiln_frame* frame, kiln_instance* instances, uint32_t count) {
    for (uint32_t i = 0; i < count; i++) {
        kiln_instance* inst = &instances[i];
        if (!kiln_instance_has_room(frame, inst) || ((c_flood_state*)inst->state)->greedy == 2) {
            inst->status = KILN_STATUS_STOPPED_FOR_ROOM;
            return KILN_ERR_NEEDS_ROOM;
        }
        kiln_instance_begin(frame, inst);
        c_flood_state* s = (c_flood_state*)inst->state;
        s->updates++;
        s->ok = 0;
        s->full = 0;
        for (uint32_t k = 0; k < s->count; k++) {
            kiln_cmd_vec3* cmd = s->greedy
                ? kiln_cmd_append(frame->commands, KILN_CMD_TRANSLATE, inst->instance_id, inst->entity, sizeof(kiln_cmd_vec3), 0)
                : kiln_instance_append(frame, inst, KILN_CMD_TRANSLATE, inst->entity, sizeof(kiln_cmd_vec3), 0);
            if (cmd) {
                cmd->value.x = 0.001f;
                s->ok++;
            } else {
                s->full++;
            }
        }
        kiln_instance_end(frame, inst, KILN_OK);
    }
    return KILN_OK;
}

kiln_status kiln_script_shutdown(const kiln_frame* frame, kiln_instance* instances, uint32_t count) {
    for (uint32_t i = 0; i < count; i++) {
        kiln_instance_begin(frame, &instances[i]);
        kiln_instance_end(frame, &instances[i], KILN_OK);
    }
    return KILN_OK;
}
