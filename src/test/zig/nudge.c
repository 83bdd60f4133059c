/* Test script in plain C against abi/kiln.h: moves its entity +1 along x per update. */
#include "kiln.h"

static const char* const exports[] = {
    KILN_EXPORT_INFO, KILN_EXPORT_INIT, KILN_EXPORT_UPDATE, KILN_EXPORT_SHUTDOWN,
};

static const kiln_script_info info = {
    .abi_version = KILN_ABI_VERSION,
    .struct_version = KILN_SCRIPT_INFO_STRUCT_VERSION,
    .struct_size = sizeof(kiln_script_info),
    .default_phase = KILN_PHASE_UPDATE,
    .name = "nudge",
    .source_hash = KILN_SOURCE_HASH,
    .state_size = 0,
    .state_align = 1,
    .export_count = 4,
    .exports = exports,
};

const kiln_script_info* kiln_script_metadata(void) { return &info; }

static kiln_status none(const kiln_frame* frame, kiln_instance* instances, uint32_t count) {
    for (uint32_t i = 0; i < count; i++) {
        instances[i].cmd_offset = frame->commands->used_bytes;
        instances[i].cmd_bytes = 0;
        instances[i].status = KILN_OK;
    }
    return KILN_OK;
}

kiln_status kiln_script_init(const kiln_frame* frame, kiln_instance* instances, uint32_t count) {
    return none(frame, instances, count);
}

kiln_status kiln_script_shutdown(const kiln_frame* frame, kiln_instance* instances, uint32_t count) {
    return none(frame, instances, count);
}

kiln_status kiln_script_update(const kiln_frame* frame, kiln_instance* instances, uint32_t count) {
    kiln_command_buffer* buf = frame->commands;
    kiln_status result = KILN_OK;
    for (uint32_t i = 0; i < count; i++) {
        kiln_instance* in = &instances[i];
        in->cmd_offset = buf->used_bytes;
        kiln_cmd_vec3* cmd = kiln_cmd_append(buf, KILN_CMD_TRANSLATE, in->instance_id, in->entity,
                                             sizeof(kiln_cmd_vec3), 0);
        if (cmd) cmd->value = (kiln_vec3){ 1.0f, 0.0f, 0.0f };
        in->status = cmd ? KILN_OK : KILN_ERR_BUFFER_FULL;
        if (result == KILN_OK) result = in->status;
        in->cmd_bytes = buf->used_bytes - in->cmd_offset;
    }
    return result;
}
