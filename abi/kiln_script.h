/* kiln_script.h: what every C script writes the same way: its metadata, as one macro, and its
 * batch loops' room check, as one call (kiln_instance_begin_with_room, at the end).
 *
 * A C script includes this header (it includes kiln.h), defines its State struct and a
 * kiln_field_info table describing it, and writes
 *
 *     KILN_SCRIPT_METADATA("c_mover", c_mover_state, fields);
 *
 * (or KILN_SCRIPT_METADATA_RECORD("name", size, align, NULL, 0) for a State without fields)
 * which defines the static kiln_script_info (struct_version 1: no state_type, so the engine
 * migrates State by the field table; default phase UPDATE; the four standard exports) and the
 * kiln_script_metadata export returning it. The build passes KILN_SOURCE_HASH; a script built
 * by hand reads "unknown". Anything else (another phase, more exports) is written out as in
 * kiln.h's kiln_script_info documentation. */
#ifndef KILN_SCRIPT_H
#define KILN_SCRIPT_H

#include "kiln.h"

#ifndef KILN_SOURCE_HASH
#define KILN_SOURCE_HASH "unknown"
#endif

/* The four exports every script has (kiln_script_info.exports). */
static const char* const kiln_script_standard_exports[] = {
    KILN_EXPORT_INFO, KILN_EXPORT_INIT, KILN_EXPORT_UPDATE, KILN_EXPORT_SHUTDOWN,
};

/* The record and the export for a State of state_size bytes (alignment state_align) described by
 * field_count entries of field_table (NULL and 0: a State the engine copies as bytes). */
#define KILN_SCRIPT_METADATA_RECORD(script_name, state_size_, state_align_, field_table, field_count) \
    static const kiln_script_info kiln_script_info_record = {                                        \
        .abi_version = KILN_ABI_VERSION,                                                             \
        .struct_version = 1,                                                                         \
        .struct_size = sizeof(kiln_script_info),                                                     \
        .default_phase = KILN_PHASE_UPDATE,                                                          \
        .name = script_name,                                                                         \
        .source_hash = KILN_SOURCE_HASH,                                                             \
        .build_time_unix = 0,                                                                        \
        .state_size = state_size_,                                                                   \
        .state_align = state_align_,                                                                 \
        .state_fields = field_table,                                                                 \
        .state_field_count = field_count,                                                            \
        .export_count = (uint32_t)(sizeof(kiln_script_standard_exports) / sizeof(kiln_script_standard_exports[0])), \
        .exports = kiln_script_standard_exports,                                                     \
    };                                                                                               \
    const kiln_script_info* kiln_script_metadata(void) { return &kiln_script_info_record; }

/* A State struct described by a kiln_field_info array. */
#define KILN_SCRIPT_METADATA(script_name, state_type, field_table)                                   \
    KILN_SCRIPT_METADATA_RECORD(script_name, sizeof(state_type), _Alignof(state_type), field_table,  \
                                (uint32_t)(sizeof(field_table) / sizeof((field_table)[0])))

/* The batch loop's room check and an instance's start (kiln.h, "Batch calls and room"), as one
 * call every loop makes the same way:
 *
 *     for (uint32_t i = 0; i < count; i++) {
 *         kiln_instance* inst = &instances[i];
 *         if (!kiln_instance_begin_with_room(frame, inst)) return KILN_ERR_NEEDS_ROOM;
 *         ... kiln_instance_append(frame, inst, KILN_CMD_..., target, sizeof(kiln_cmd_...), extra) ...
 *         kiln_instance_end(frame, inst, status);
 *     }
 *
 * 0 when the buffer lacks the instance's quota: the instance is marked
 * KILN_STATUS_STOPPED_FOR_ROOM and the loop returns KILN_ERR_NEEDS_ROOM at once, without running
 * it (the engine makes room and calls again from it); otherwise 1, the instance's hook begun
 * (kiln_instance_begin). */
static inline int kiln_instance_begin_with_room(const kiln_frame* frame, kiln_instance* inst) {
    if (!kiln_instance_has_room(frame, inst)) {
        inst->status = KILN_STATUS_STOPPED_FOR_ROOM;
        return 0;
    }
    kiln_instance_begin(frame, inst);
    return 1;
}

#endif /* KILN_SCRIPT_H */
