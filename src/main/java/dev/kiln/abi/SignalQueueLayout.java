package dev.kiln.abi;

import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.StructLayout;

/**
 * kiln_signal_queue (native/kiln_signals.h), the signal queue's header the native apply pass
 * queues EMIT_SIGNAL records into: seven column pointers, the byte pool's fill, the count, and the
 * sender table. Private to the engine and its native code (not in abi/kiln.h); AbiMirrorTest checks
 * it against the header as the C compiler lays it out. Offsets are bytes from the header's start.
 */
public final class SignalQueueLayout {
    public static final StructLayout LAYOUT = structLayout(
            ADDRESS.withName("sender"),
            ADDRESS.withName("target"),
            ADDRESS.withName("name_hash"),
            ADDRESS.withName("bytes_at"),
            ADDRESS.withName("name_len"),
            ADDRESS.withName("payload_size"),
            ADDRESS.withName("bytes"),
            JAVA_LONG.withName("bytes_used"),
            JAVA_LONG.withName("bytes_capacity"),
            JAVA_INT.withName("count"),
            JAVA_INT.withName("capacity"),
            ADDRESS.withName("sender_ids"),
            ADDRESS.withName("sender_entities"),
            JAVA_INT.withName("senders"),
            JAVA_INT.withName("id_span"),
            ADDRESS.withName("entity_by_id")).withName("kiln_signal_queue");

    public static final long SENDER = Layouts.offset(LAYOUT, "sender");
    public static final long TARGET = Layouts.offset(LAYOUT, "target");
    public static final long NAME_HASH = Layouts.offset(LAYOUT, "name_hash");
    public static final long BYTES_AT = Layouts.offset(LAYOUT, "bytes_at");
    public static final long NAME_LEN = Layouts.offset(LAYOUT, "name_len");
    public static final long PAYLOAD_SIZE = Layouts.offset(LAYOUT, "payload_size");
    public static final long BYTES = Layouts.offset(LAYOUT, "bytes");
    public static final long BYTES_USED = Layouts.offset(LAYOUT, "bytes_used");
    public static final long BYTES_CAPACITY = Layouts.offset(LAYOUT, "bytes_capacity");
    public static final long COUNT = Layouts.offset(LAYOUT, "count");
    public static final long CAPACITY = Layouts.offset(LAYOUT, "capacity");
    public static final long SENDER_IDS = Layouts.offset(LAYOUT, "sender_ids");
    public static final long SENDER_ENTITIES = Layouts.offset(LAYOUT, "sender_entities");
    public static final long SENDERS = Layouts.offset(LAYOUT, "senders");
    public static final long ID_SPAN = Layouts.offset(LAYOUT, "id_span");
    public static final long ENTITY_BY_ID = Layouts.offset(LAYOUT, "entity_by_id");

    private SignalQueueLayout() {}
}
