/* A C script whose signal handler lies about room: it connects to "nudge" at init and then,
 * for every delivery, stops for room whatever the room (as c_flood.c's greedy = 2 does for
 * updates). The engine makes room once, sees the same stop again, and skips that delivery:
 * a phase with many deliveries must report that once, not once per delivery. */
#include "kiln_script.h"

typedef struct room_liar_state { uint32_t inits; uint32_t signals; } room_liar_state;

static const kiln_field_info fields[] = {
    {"inits", KILN_FIELD_U32, 0, 4, 0},
    {"signals", KILN_FIELD_U32, 4, 4, 0},
};

KILN_SCRIPT_METADATA("room_liar", room_liar_state, fields);

static const char nudge[] = "nudge";

kiln_status kiln_script_init(const kiln_frame* frame, kiln_instance* instances, uint32_t count) {
    for (uint32_t i = 0; i < count; i++) {
        kiln_instance* inst = &instances[i];
        if (!kiln_instance_begin_with_room(frame, inst)) return KILN_ERR_NEEDS_ROOM;
        room_liar_state* s = (room_liar_state*)inst->state;
        s->inits++;
        uint64_t name_hash = kiln_hash_bytes(nudge, sizeof(nudge) - 1);
        kiln_cmd_connect* c = kiln_instance_append(frame, inst, KILN_CMD_CONNECT_SIGNAL_EX, inst->entity,
                                                   sizeof(kiln_cmd_connect), sizeof(nudge) - 1);
        if (c) {
            c->name_hash = name_hash;
            c->sender = KILN_ENTITY_NULL;
            c->connection_id = kiln_connection_id(name_hash, KILN_ENTITY_NULL);
            c->name_len = sizeof(nudge) - 1;
            for (uint32_t k = 0; k < sizeof(nudge) - 1; k++) ((char*)(c + 1))[k] = nudge[k];
        }
        kiln_instance_end(frame, inst, c ? KILN_OK : KILN_ERR_BUFFER_FULL);
    }
    return KILN_OK;
}

kiln_status kiln_script_update(const kiln_frame* frame, kiln_instance* instances, uint32_t count) {
    for (uint32_t i = 0; i < count; i++) {
        kiln_instance_begin(frame, &instances[i]);
        kiln_instance_end(frame, &instances[i], KILN_OK);
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

kiln_status kiln_script_signal(const kiln_frame* frame, kiln_signal_delivery* deliveries, uint32_t count) {
    (void)frame;
    if (count == 0) return KILN_OK;
    deliveries[0].instance.status = KILN_STATUS_STOPPED_FOR_ROOM; /* a lie: the room was there */
    return KILN_ERR_NEEDS_ROOM;
}
