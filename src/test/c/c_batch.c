/* A C script with compact signal handlers (kiln_script_signal_batch, abi/kiln.h), for
 * SignalBatchValidationTest. It receives "ping" (a one-byte payload) and logs each delivery:
 * "batch <n>" through the compact loop, "classic <n>" through kiln_script_signal. With State
 * `liar` set, its compact loop writes its outcomes out of order and one past its deliveries,
 * which the engine must refuse as malformed (reported), applying only what it can check. */
#include "kiln_script.h"

typedef struct c_batch_state { uint32_t liar; uint32_t got; } c_batch_state;

static const kiln_field_info fields[] = {
    {"liar", KILN_FIELD_U32, 0, 4, 0},
    {"got", KILN_FIELD_U32, 4, 4, 0},
};

KILN_SCRIPT_METADATA("c_batch", c_batch_state, fields);

static const char ping[] = "ping";

/* One LOG record "<prefix> <digit>" for the delivery; the instance's range as kiln_instance_end. */
static void log_delivery(const kiln_frame* frame, kiln_instance* inst, const char* prefix, uint32_t prefix_len,
                         uint8_t value) {
    kiln_instance_begin(frame, inst);
    kiln_cmd_log* log = kiln_instance_append(frame, inst, KILN_CMD_LOG, inst->entity, sizeof(kiln_cmd_log),
                                             prefix_len + 2);
    if (log) {
        log->level = KILN_LOG_INFO;
        log->length = prefix_len + 2;
        char* text = (char*)(log + 1);
        for (uint32_t k = 0; k < prefix_len; k++) text[k] = prefix[k];
        text[prefix_len] = ' ';
        text[prefix_len + 1] = (char)('0' + value % 10);
    }
    kiln_instance_end(frame, inst, KILN_OK);
}

kiln_status kiln_script_init(const kiln_frame* frame, kiln_instance* instances, uint32_t count) {
    for (uint32_t i = 0; i < count; i++) {
        kiln_instance* inst = &instances[i];
        kiln_instance_begin(frame, inst);
        kiln_cmd_name* c = kiln_instance_append(frame, inst, KILN_CMD_CONNECT_SIGNAL, inst->entity,
                                                sizeof(kiln_cmd_name), sizeof(ping) - 1);
        if (c) {
            c->name_hash = kiln_hash_bytes(ping, sizeof(ping) - 1);
            c->name_len = sizeof(ping) - 1;
            for (uint32_t k = 0; k < sizeof(ping) - 1; k++) ((char*)(c + 1))[k] = ping[k];
        }
        kiln_instance_end(frame, inst, KILN_OK);
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
    return kiln_script_update(frame, instances, count);
}

kiln_status kiln_script_signal(const kiln_frame* frame, kiln_signal_delivery* deliveries, uint32_t count) {
    for (uint32_t i = 0; i < count; i++) {
        kiln_signal_delivery* d = &deliveries[i];
        ((c_batch_state*)d->instance.state)->got++;
        log_delivery(frame, &d->instance, "classic", 7, d->signal.payload_size ? d->signal.payload[0] : 0);
    }
    return KILN_OK;
}

kiln_status kiln_script_signal_batch(const kiln_frame* frame, kiln_signal_batch* batch, uint32_t count) {
    (void)count;
    uint32_t outcomes = 0;
    for (uint32_t i = 0; i < batch->count; i++) {
        batch->current = i;
        const kiln_signal_entry e = batch->entries[i];
        kiln_instance* inst = &batch->receivers[e.receiver];
        if (!kiln_instance_has_room(frame, inst)) {
            inst->status = KILN_STATUS_STOPPED_FOR_ROOM;
            batch->outcome_count = outcomes;
            return KILN_ERR_NEEDS_ROOM;
        }
        c_batch_state* s = (c_batch_state*)inst->state;
        s->got++;
        const uint8_t* payload = batch->bytes + batch->bytes_at[e.signal] + batch->name_len[e.signal];
        log_delivery(frame, inst, "batch", 5, batch->payload_size[e.signal] ? payload[0] : 0);
        batch->outcomes[outcomes++] = (kiln_signal_outcome){
            .entry = i, .cmd_offset = inst->cmd_offset, .cmd_bytes = inst->cmd_bytes,
            .cmd_refused = inst->cmd_refused, .log_dropped = inst->log_dropped, .status = KILN_OK,
        };
    }
    if (batch->count > 0 && ((c_batch_state*)batch->receivers[0].state)->liar) {
        /* Last first, then the rest (out of order: refused), then one past the deliveries. */
        for (uint32_t a = 0, b = outcomes - 1; a < b; a++, b--) {
            kiln_signal_outcome t = batch->outcomes[a];
            batch->outcomes[a] = batch->outcomes[b];
            batch->outcomes[b] = t;
        }
        batch->outcomes[0].entry = batch->count - 1;
        batch->outcomes[outcomes - 1].entry = batch->count; /* past the call's deliveries */
    }
    batch->outcome_count = outcomes;
    return KILN_OK;
}
