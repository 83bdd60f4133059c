/* A C script that posts a log record in another instance's name (the instance attached just
 * before it): the engine must refuse a record whose source is not the instance that wrote it. */
#include "kiln_script.h"

KILN_SCRIPT_METADATA_RECORD("impostor", 0, 1, NULL, 0);

static kiln_status each(const kiln_frame* frame, kiln_instance* instances, uint32_t count, int post) {
    static const char text[] = "I am not who I say";
    for (uint32_t i = 0; i < count; i++) {
        kiln_instance* inst = &instances[i];
        inst->cmd_offset = frame->commands->used_bytes;
        if (post) {
            kiln_cmd_log* log = kiln_cmd_append(frame->commands, KILN_CMD_LOG, inst->instance_id - 1, inst->entity,
                                                sizeof(kiln_cmd_log), sizeof(text) - 1);
            if (log) {
                log->level = KILN_LOG_INFO;
                log->length = sizeof(text) - 1;
                for (uint32_t k = 0; k < sizeof(text) - 1; k++) ((char*)(log + 1))[k] = text[k];
            }
        }
        inst->cmd_bytes = frame->commands->used_bytes - inst->cmd_offset;
        inst->status = KILN_OK;
    }
    return KILN_OK;
}

kiln_status kiln_script_init(const kiln_frame* f, kiln_instance* i, uint32_t n) { return each(f, i, n, 0); }
kiln_status kiln_script_update(const kiln_frame* f, kiln_instance* i, uint32_t n) { return each(f, i, n, 1); }
kiln_status kiln_script_shutdown(const kiln_frame* f, kiln_instance* i, uint32_t n) { return each(f, i, n, 0); }
