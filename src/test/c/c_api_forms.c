/* A C script using the records added to ABI 1 on 2026-11-30, one per update after a
 * connection made in init:
 *   init      CONNECT_SIGNAL_EX "hello" from any sender; the id is kiln_connection_id()
 *   update 1  SET_ROTATION_EX in Euler form: yaw 0.5, pitch 0.25, roll -0.1
 *   update 2  ROTATE_EX, a quaternion about the entity's own X axis (0.3 rad), KILN_SPACE_LOCAL
 *   update 3  ADD_COMPONENT "health" {hp 42, max 0} with field_mask 1: only hp (a merge policy)
 *   update 4  DISCONNECT_ID of the init's connection
 * It follows the room protocol with the kiln_instance_* helpers. */
#include "kiln_script.h"

typedef struct c_api_forms_state { uint32_t updates; uint32_t reserved; uint64_t connection; } c_api_forms_state;
typedef struct health { float hp, max; } health;

static const kiln_field_info fields[] = {
    {"updates", KILN_FIELD_U32, 0, 4, 0},
    {"connection", KILN_FIELD_U64, 8, 8, 0},
};

KILN_SCRIPT_METADATA("c_api_forms", c_api_forms_state, fields);

static const char hello[] = "hello";

kiln_status kiln_script_init(const kiln_frame* frame, kiln_instance* instances, uint32_t count) {
    for (uint32_t i = 0; i < count; i++) {
        kiln_instance* inst = &instances[i];
        if (!kiln_instance_begin_with_room(frame, inst)) return KILN_ERR_NEEDS_ROOM;
        c_api_forms_state* s = (c_api_forms_state*)inst->state;
        s->updates = 0;
        uint64_t name_hash = kiln_hash_bytes(hello, sizeof(hello) - 1);
        kiln_cmd_connect* c = kiln_instance_append(frame, inst, KILN_CMD_CONNECT_SIGNAL_EX, inst->entity,
                                                   sizeof(kiln_cmd_connect), sizeof(hello) - 1);
        kiln_status status = KILN_ERR_BUFFER_FULL;
        if (c) {
            c->name_hash = name_hash;
            c->sender = KILN_ENTITY_NULL;
            c->connection_id = kiln_connection_id(name_hash, KILN_ENTITY_NULL);
            c->name_len = sizeof(hello) - 1;
            for (uint32_t k = 0; k < sizeof(hello) - 1; k++) ((char*)(c + 1))[k] = hello[k];
            s->connection = c->connection_id; /* known now: no need to wait for the barrier */
            status = KILN_OK;
        }
        kiln_instance_end(frame, inst, status);
    }
    return KILN_OK;
}

static kiln_status act(const kiln_frame* frame, kiln_instance* inst, c_api_forms_state* s) {
    switch (s->updates) {
    case 1: {
        kiln_cmd_rotation* r = kiln_instance_append(frame, inst, KILN_CMD_SET_ROTATION_EX, inst->entity,
                                                    sizeof(kiln_cmd_rotation), 0);
        if (!r) return KILN_ERR_BUFFER_FULL;
        r->value.x = 0.5f;   /* yaw */
        r->value.y = 0.25f;  /* pitch */
        r->value.z = -0.1f;  /* roll */
        r->space = KILN_SPACE_WORLD;
        r->form = KILN_ROTATION_EULER_YXZ;
        return KILN_OK;
    }
    case 2: {
        kiln_cmd_rotation* r = kiln_instance_append(frame, inst, KILN_CMD_ROTATE_EX, inst->entity,
                                                    sizeof(kiln_cmd_rotation), 0);
        if (!r) return KILN_ERR_BUFFER_FULL;
        r->value.x = 0.149438132f; /* sin(0.15): 0.3 rad about X */
        r->value.w = 0.988771078f; /* cos(0.15) */
        r->space = KILN_SPACE_LOCAL;
        r->form = KILN_ROTATION_QUAT;
        return KILN_OK;
    }
    case 3: {
        static const char name[] = "health";
        health value = {42.0f, 0.0f};
        kiln_cmd_component* c = kiln_instance_append(frame, inst, KILN_CMD_ADD_COMPONENT, inst->entity,
                                                     sizeof(kiln_cmd_component), sizeof(value));
        if (!c) return KILN_ERR_BUFFER_FULL;
        c->type_hash = kiln_hash_bytes(name, sizeof(name) - 1);
        c->size = sizeof(value);
        c->field_mask = 1u; /* field 0, hp: with a "merge" policy, max keeps its value */
        *(health*)(c + 1) = value;
        return KILN_OK;
    }
    case 4: {
        kiln_cmd_connection* d = kiln_instance_append(frame, inst, KILN_CMD_DISCONNECT_ID, inst->entity,
                                                      sizeof(kiln_cmd_connection), 0);
        if (!d) return KILN_ERR_BUFFER_FULL;
        d->connection_id = s->connection;
        return KILN_OK;
    }
    default:
        return KILN_OK;
    }
}

kiln_status kiln_script_update(const kiln_frame* frame, kiln_instance* instances, uint32_t count) {
    for (uint32_t i = 0; i < count; i++) {
        kiln_instance* inst = &instances[i];
        if (!kiln_instance_begin_with_room(frame, inst)) return KILN_ERR_NEEDS_ROOM;
        c_api_forms_state* s = (c_api_forms_state*)inst->state;
        s->updates++;
        kiln_instance_end(frame, inst, act(frame, inst, s));
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
