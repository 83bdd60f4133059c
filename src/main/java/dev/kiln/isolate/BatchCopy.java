package dev.kiln.isolate;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.abi.Layouts;
import dev.kiln.loader.FaultGuard;
import java.lang.foreign.MemorySegment;

/**
 * The security clamps of an isolated batch call: what the host may read is copied into its
 * region (frame, snapshot tables, instances or deliveries, signal names and payloads), and only
 * what the call may output comes back — the records it appended, within the room it was given;
 * each instance's command range, within those records; status and refusal counts; spawn ids,
 * forward and bounded. Nothing the host writes is trusted further than that.
 *
 * <p>Used on the thread that calls the library; the region's scratch area is reset per call.
 */
final class BatchCopy {
    static final long INSTANCE = Layouts.INSTANCE.byteSize();
    static final long DELIVERY = Layouts.SIGNAL_DELIVERY.byteSize();
    private static final long SIGNAL_AT = Layouts.offset(Layouts.SIGNAL_DELIVERY, "signal");
    /** kiln_signal's name and payload: what relocateSignals copies into the region. */
    private static final long SIGNAL_PAYLOAD = Layouts.offset(Layouts.SIGNAL, "payload"),
            SIGNAL_NAME = Layouts.offset(Layouts.SIGNAL, "name"),
            SIGNAL_PAYLOAD_SIZE = Layouts.offset(Layouts.SIGNAL, "payload_size"),
            SIGNAL_NAME_LEN = Layouts.offset(Layouts.SIGNAL, "name_len");
    private static final long FRAME_SNAPSHOT = Layouts.offset(Layouts.FRAME, "snapshot");
    private static final long FRAME_COMMANDS = Layouts.offset(Layouts.FRAME, "commands");
    private static final long FRAME_PANIC = Layouts.offset(Layouts.FRAME, "panic");
    private static final long FRAME_HEAP = Layouts.offset(Layouts.FRAME, "heap");
    private static final long FRAME_OWN_TRANSFORMS = Layouts.offset(Layouts.FRAME, "own_transforms");
    private static final long FRAME_SIGNAL_LANE = Layouts.offset(Layouts.FRAME, "signal_lane");
    private static final long BUFFER_CAPACITY = Layouts.offset(Layouts.COMMAND_BUFFER, "capacity_bytes");
    private static final long BUFFER_REQUEST_ID = Layouts.offset(Layouts.COMMAND_BUFFER, "next_request_id");
    private static final long BUFFER_DATA = Layouts.offset(Layouts.COMMAND_BUFFER, "data");

    private final Region region;

    BatchCopy(Region region) {
        this.region = region;
    }

    /**
     * One call's copies in the region and the engine's originals they came from. {@code before}
     * is the engine buffer's end when the call started, {@code capacity} the room the host got.
     */
    record Call(MemorySegment frame, MemorySegment items, MemorySegment commands, MemorySegment snapshot,
                MemorySegment engineCommands, MemorySegment engineSnapshot, MemorySegment engineItems,
                MemorySegment own, MemorySegment engineOwn, int count, long stride, int before, int capacity) {}

    /**
     * Copies a batch call's inputs into the region: {@code count} items of {@code stride} bytes
     * ({@link #INSTANCE} or {@link #DELIVERY}) at {@code items}, the frame at {@code frame} and
     * what it points to.
     */
    Call in(MemorySegment frame, MemorySegment items, int count, long stride) {
        region.resetScratch();
        MemorySegment engineFrame = frame.reinterpret(Layouts.FRAME.byteSize());
        MemorySegment engineSnapshot = engineFrame.get(ADDRESS, FRAME_SNAPSHOT);
        MemorySegment engineCommands = engineFrame.get(ADDRESS, FRAME_COMMANDS).reinterpret(Layouts.COMMAND_BUFFER.byteSize());
        MemorySegment copyFrame = region.copyIn(engineFrame, 16);
        MemorySegment copySnapshot = SnapshotCopy.copy(engineSnapshot, region);
        // The host sees the free part of the engine's buffer as a buffer of its own, starting at
        // 0: its offsets are relative to the engine's end (before), so the region's
        // record area needs to hold one call's records, not the engine's whole (growable) buffer.
        int before = engineCommands.get(JAVA_INT, Layouts.BUFFER_USED);
        int free = Math.max(0, engineCommands.get(JAVA_INT, BUFFER_CAPACITY) - before);
        int capacity = (int) Math.min(free, region.commandCapacity);
        MemorySegment copyCommands = commandsIn(engineCommands, capacity);
        copyFrame.set(ADDRESS, FRAME_SNAPSHOT, copySnapshot);
        copyFrame.set(ADDRESS, FRAME_COMMANDS, copyCommands);
        copyFrame.set(ADDRESS, FRAME_PANIC, MemorySegment.NULL); // the host sets its own
        // The engine's container memory is not mapped in the host: the host sets its own heap.
        copyFrame.set(ADDRESS, FRAME_HEAP, MemorySegment.NULL);
        // The own-transform column of an update call (abi/kiln.h kiln_own_transform), when the
        // engine offers one: a copy in the region, its slots copied back after the call.
        MemorySegment engineOwn = engineFrame.get(ADDRESS, FRAME_OWN_TRANSFORMS);
        MemorySegment copyOwn = MemorySegment.NULL;
        if (!engineOwn.equals(MemorySegment.NULL)) {
            engineOwn = engineOwn.reinterpret(count * Layouts.OWN_TRANSFORM.byteSize());
            copyOwn = region.copyIn(engineOwn, 16);
        }
        copyFrame.set(ADDRESS, FRAME_OWN_TRANSFORMS, copyOwn);
        // No signal lane in a host: its library posts signals as records (abi/kiln.h).
        copyFrame.set(ADDRESS, FRAME_SIGNAL_LANE, MemorySegment.NULL);
        MemorySegment engineItems = items.reinterpret(count * stride);
        MemorySegment copyItems = region.copyIn(engineItems, 16);
        if (stride == DELIVERY) relocateSignals(copyItems, count);
        return new Call(copyFrame, copyItems, copyCommands, copySnapshot, engineCommands, engineSnapshot, engineItems,
                copyOwn, engineOwn, count, stride, before, capacity);
    }

    /**
     * Copies a call's outputs back into the engine's memory, clamped. Run even when the host
     * ended mid-call: what it wrote so far names the culprit and holds the records of the
     * instances that finished, which the runtime treats as for any fault.
     */
    void back(Call call) {
        int appended = commandsBack(call.commands(), call.engineCommands(), call.before(), call.capacity());
        outputsBack(call.items(), call.engineItems(), call.count(), call.stride(), call.before(), appended);
        // the slots as the host left them: the barrier checks each like any record
        if (!call.engineOwn().equals(MemorySegment.NULL)) MemorySegment.copy(call.own(), 0, call.engineOwn(), 0, call.engineOwn().byteSize());
        SnapshotCopy.returnGridWanted(call.snapshot(), call.engineSnapshot());
    }

    /**
     * A command buffer header in the region over the region's record area: the free part of the
     * engine's buffer, {@code capacity} bytes, empty (offsets relative to the engine's end).
     */
    private MemorySegment commandsIn(MemorySegment engine, int capacity) {
        MemorySegment copy = region.memory.asSlice(region.commandHeaderAt, Layouts.COMMAND_BUFFER.byteSize());
        copy.copyFrom(engine);
        copy.set(JAVA_INT, BUFFER_CAPACITY, capacity);
        copy.set(JAVA_INT, Layouts.BUFFER_USED, 0);
        copy.set(ADDRESS, BUFFER_DATA, region.memory.asSlice(region.commandDataAt, capacity));
        return copy;
    }

    /**
     * The records the call appended into the engine's buffer after its end ({@code before}):
     * region offset o becomes engine offset before + o. Every count is clamped: a host can only
     * add records within the room it was given ({@code capacity}, the engine's own figure, never
     * what the host left in its copy). Returns how many bytes it appended.
     */
    private int commandsBack(MemorySegment copy, MemorySegment engine, int before, int capacity) {
        int appended = Math.clamp(Integer.toUnsignedLong(copy.get(JAVA_INT, Layouts.BUFFER_USED)), 0, capacity);
        MemorySegment data = engine.get(ADDRESS, BUFFER_DATA).reinterpret((long) before + appended);
        MemorySegment.copy(region.memory, region.commandDataAt, data, before, appended);
        engine.set(JAVA_INT, Layouts.BUFFER_USED, before + appended);
        engine.set(JAVA_INT, Layouts.BUFFER_DROPPED,
                Math.max(engine.get(JAVA_INT, Layouts.BUFFER_DROPPED), copy.get(JAVA_INT, Layouts.BUFFER_DROPPED)));
        // Spawn ids only move forward, and by no more than the records could have taken (a
        // spawn record is far larger than 8 bytes): no host can wrap the engine's ids around.
        long id = engine.get(JAVA_LONG, BUFFER_REQUEST_ID);
        engine.set(JAVA_LONG, BUFFER_REQUEST_ID, Math.clamp(copy.get(JAVA_LONG, BUFFER_REQUEST_ID), id, id + appended / 8));
        return appended;
    }

    /**
     * Only the outputs of kiln_instance go back: cmd_offset, cmd_bytes, status, cmd_refused,
     * log_dropped. A range must lie within what this call appended, [0, {@code appended}) in the
     * host's view: one pointing elsewhere would replay or hide other scripts' records, so it
     * becomes an empty range at the engine's end {@code before}.
     */
    private static void outputsBack(MemorySegment copy, MemorySegment items, int count, long stride, int before,
                                    int appended) {
        for (int k = 0; k < count; k++) {
            long at = k * stride;
            long offset = Integer.toUnsignedLong(copy.get(JAVA_INT, at + Layouts.INSTANCE_CMD_OFFSET));
            // the instance still running when the host stopped (a fault) never wrote its length:
            // what is there is an earlier call's, and only its start (the discard point) counts
            boolean running = copy.get(JAVA_INT, at + Layouts.INSTANCE_STATUS) == FaultGuard.STATUS_RUNNING;
            long bytes = running ? 0 : Integer.toUnsignedLong(copy.get(JAVA_INT, at + Layouts.INSTANCE_CMD_BYTES));
            boolean inside = offset + bytes <= appended;
            items.set(JAVA_INT, at + Layouts.INSTANCE_CMD_OFFSET, inside ? before + (int) offset : before);
            items.set(JAVA_INT, at + Layouts.INSTANCE_CMD_BYTES, inside ? (int) bytes : 0);
            items.set(JAVA_INT, at + Layouts.INSTANCE_STATUS, copy.get(JAVA_INT, at + Layouts.INSTANCE_STATUS));
            items.set(JAVA_INT, at + Layouts.INSTANCE_CMD_REFUSED, copy.get(JAVA_INT, at + Layouts.INSTANCE_CMD_REFUSED));
            items.set(JAVA_INT, at + Layouts.INSTANCE_LOG_DROPPED, copy.get(JAVA_INT, at + Layouts.INSTANCE_LOG_DROPPED));
        }
    }

    /** A delivery's signal name and payload point into engine memory: copy them in too. */
    private void relocateSignals(MemorySegment deliveries, int count) {
        for (int k = 0; k < count; k++) {
            long s = k * DELIVERY + SIGNAL_AT;
            int payloadSize = deliveries.get(JAVA_INT, s + SIGNAL_PAYLOAD_SIZE);
            int nameLength = deliveries.get(JAVA_INT, s + SIGNAL_NAME_LEN);
            MemorySegment payload = deliveries.get(ADDRESS, s + SIGNAL_PAYLOAD);
            MemorySegment name = deliveries.get(ADDRESS, s + SIGNAL_NAME);
            if (!payload.equals(MemorySegment.NULL)) {
                deliveries.set(ADDRESS, s + SIGNAL_PAYLOAD, region.copyIn(payload.reinterpret(payloadSize), 8));
            }
            if (!name.equals(MemorySegment.NULL)) {
                deliveries.set(ADDRESS, s + SIGNAL_NAME, region.copyIn(name.reinterpret(nameLength), 8));
            }
        }
    }
}
