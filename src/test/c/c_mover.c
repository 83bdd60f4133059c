/* A script written in plain C against abi/kiln.h (built with `zig cc`): proves the ABI is a
 * real C ABI. Each update moves its entity by +1 on x per second and logs on init. */
#include "kiln_script.h"

typedef struct c_mover_state { float speed; uint32_t updates; } c_mover_state;

static const kiln_field_info fields[] = {
    {"speed", KILN_FIELD_F32, 0, 4, 0},
    {"updates", KILN_FIELD_U32, 4, 4, 0},
};

KILN_SCRIPT_METADATA("c_mover", c_mover_state, fields);

static void begin(const kiln_frame* frame, kiln_instance* inst) {
    inst->cmd_offset = frame->commands->used_bytes;
    inst->status = KILN_OK;
}

static void end(const kiln_frame* frame, kiln_instance* inst) {
    inst->cmd_bytes = frame->commands->used_bytes - inst->cmd_offset;
}

kiln_status kiln_script_init(const kiln_frame* frame, kiln_instance* instances, uint32_t count) {
    static const char hello[] = "hello from C";
    for (uint32_t i = 0; i < count; i++) {
        kiln_instance* inst = &instances[i];
        begin(frame, inst);
        c_mover_state* s = (c_mover_state*)inst->state;
        s->speed = 1.0f;
        s->updates = 0;
        kiln_cmd_log* log = kiln_cmd_append(frame->commands, KILN_CMD_LOG, inst->instance_id,
                                            inst->entity, sizeof(kiln_cmd_log), sizeof(hello) - 1);
        if (log) {
            log->level = KILN_LOG_INFO;
            log->length = sizeof(hello) - 1;
            for (uint32_t k = 0; k < sizeof(hello) - 1; k++) ((char*)(log + 1))[k] = hello[k];
        }
        end(frame, inst);
    }
    return KILN_OK;
}

kiln_status kiln_script_update(const kiln_frame* frame, kiln_instance* instances, uint32_t count) {
    for (uint32_t i = 0; i < count; i++) {
        kiln_instance* inst = &instances[i];
        begin(frame, inst);
        c_mover_state* s = (c_mover_state*)inst->state;
        s->updates++;
        kiln_cmd_vec3* cmd = kiln_cmd_append(frame->commands, KILN_CMD_TRANSLATE, inst->instance_id,
                                             inst->entity, sizeof(kiln_cmd_vec3), 0);
        if (cmd) {
            cmd->value.x = s->speed * (float)frame->delta_time;
        } else {
            inst->status = KILN_ERR_BUFFER_FULL;
        }
        end(frame, inst);
    }
    return KILN_OK;
}

kiln_status kiln_script_shutdown(const kiln_frame* frame, kiln_instance* instances, uint32_t count) {
    for (uint32_t i = 0; i < count; i++) {
        begin(frame, &instances[i]);
        end(frame, &instances[i]);
    }
    return KILN_OK;
}
