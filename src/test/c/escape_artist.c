/* Test script for isolated mode, in C because it pokes at its process: on its first update it
 * (1) tries to shrink the region it shares with the engine, through /proc/self/map_files (a
 * shrunk mapping would make every engine access to it fault), and logs what happened; and
 * (2) forks a child that sleeps forever, which must not outlive the host. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "kiln_script.h"

KILN_SCRIPT_METADATA_RECORD("escape_artist", 8, 8, NULL, 0);

/* "truncate refused: ..." or "truncate done": whether the region could be shrunk. */
static const char* try_truncate(char* out, size_t capacity) {
    FILE* maps = fopen("/proc/self/maps", "r");
    if (maps == NULL) return "no /proc/self/maps";
    char line[512];
    const char* result = "region not found";
    while (fgets(line, sizeof line, maps) != NULL) {
        if (strstr(line, "kiln-isolated-region") == NULL) continue;
        char range[128] = {0};
        sscanf(line, "%127s", range);
        char path[256];
        snprintf(path, sizeof path, "/proc/self/map_files/%s", range);
        int fd = open(path, O_RDWR);
        if (fd < 0) {
            snprintf(out, capacity, "truncate refused: cannot open its mapping");
        } else if (ftruncate(fd, 0) != 0) {
            snprintf(out, capacity, "truncate refused: sealed");
        } else {
            snprintf(out, capacity, "truncate done");
        }
        if (fd >= 0) close(fd);
        result = out;
        break;
    }
    fclose(maps);
    return result;
}

static void log_text(const kiln_frame* frame, kiln_instance* inst, const char* text) {
    uint32_t n = (uint32_t)strlen(text);
    kiln_cmd_log* log = kiln_cmd_append(frame->commands, KILN_CMD_LOG, inst->instance_id, inst->entity,
                                        sizeof(kiln_cmd_log), n);
    if (log == NULL) return;
    log->level = KILN_LOG_INFO;
    log->length = n;
    memcpy(log + 1, text, n);
}

kiln_status kiln_script_init(const kiln_frame* frame, kiln_instance* instances, uint32_t count) {
    for (uint32_t i = 0; i < count; i++) {
        instances[i].cmd_offset = frame->commands->used_bytes;
        instances[i].cmd_bytes = 0;
        instances[i].status = KILN_OK;
    }
    return KILN_OK;
}

kiln_status kiln_script_update(const kiln_frame* frame, kiln_instance* instances, uint32_t count) {
    for (uint32_t i = 0; i < count; i++) {
        kiln_instance* inst = &instances[i];
        inst->cmd_offset = frame->commands->used_bytes;
        uint64_t* updates = (uint64_t*)inst->state;
        if ((*updates)++ == 0) {
            char text[128];
            log_text(frame, inst, try_truncate(text, sizeof text));
            if (fork() == 0) {
                for (;;) pause();
            }
        }
        inst->cmd_bytes = frame->commands->used_bytes - inst->cmd_offset;
        inst->status = KILN_OK;
    }
    return KILN_OK;
}

kiln_status kiln_script_shutdown(const kiln_frame* frame, kiln_instance* instances, uint32_t count) {
    return kiln_script_init(frame, instances, count);
}
