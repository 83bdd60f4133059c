package dev.kiln.script;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.abi.Layouts;
import dev.kiln.loader.FaultGuard;
import java.lang.foreign.MemorySegment;
import java.util.function.IntFunction;

/**
 * Calls one library's compact signal handlers (kiln_script_signal_batch over a
 * kiln_signal_batch) with {@link FaultRecovery}'s rules: a fault names the delivery in
 * {@code current}, whose receiver is reported and disabled and whose partial requests are
 * discarded, and the call resumes with the deliveries after it; a watchdog timeout, or a fault
 * naming no delivery, stops the library and discards the whole call's requests; a stop for room
 * resumes, once room is made, from the delivery it stopped before. The outcomes the handler
 * loop appended are script-written: each is checked (inside the call's entries, in ascending
 * order, not at or past a delivery that faulted or did not run) and handed on with its
 * delivery's index in the library's deliveries; the rest are refused and counted.
 *
 * <p>Thread: the runtime's.
 */
final class SignalBatchCall {
    static final long BATCH_BYTES = Layouts.SIGNAL_BATCH.byteSize();
    static final long ENTRY_BYTES = Layouts.SIGNAL_ENTRY.byteSize();
    static final long RECEIVER_BYTES = Layouts.INSTANCE.byteSize();
    static final long OUTCOME_BYTES = Layouts.SIGNAL_OUTCOME.byteSize();
    /** Bytes of a lane batch's delivery (kiln_lane_delivery). */
    static final long LANE_DELIVERY_BYTES = Layouts.LANE_DELIVERY.byteSize();

    private static final long STRUCT_VERSION = off("struct_version"), STRUCT_SIZE = off("struct_size"),
            COUNT = off("count"), CURRENT = off("current"), ENTRIES = off("entries"), RECEIVERS = off("receivers"),
            OUTCOMES = off("outcomes"), OUTCOME_COUNT = off("outcome_count"), RECEIVER_COUNT = off("receiver_count"),
            TABLES = off("name_hash"), DELIVERIES = off("deliveries");
    private static final long O_ENTRY = Layouts.offset(Layouts.SIGNAL_OUTCOME, "entry"),
            O_OFFSET = Layouts.offset(Layouts.SIGNAL_OUTCOME, "cmd_offset"),
            O_BYTES = Layouts.offset(Layouts.SIGNAL_OUTCOME, "cmd_bytes"),
            O_REFUSED = Layouts.offset(Layouts.SIGNAL_OUTCOME, "cmd_refused"),
            O_DROPPED = Layouts.offset(Layouts.SIGNAL_OUTCOME, "log_dropped");
    /** `current` before the call: names no delivery (a fault before the loop wrote it names none). */
    private static final int NO_DELIVERY = -1;

    private static long off(String field) {
        return Layouts.offset(Layouts.SIGNAL_BATCH, field);
    }

    /** Receives the checked outcomes of one library's calls, in ascending delivery order. */
    interface Outcomes {
        /** Delivery {@code k} of the library left a range or refusals (its values as the script wrote them). */
        void outcome(int k, int cmdOffset, int cmdBytes, int refused, int logDropped);
    }

    private SignalBatchCall() {}

    /**
     * Runs the library's {@code n} deliveries: {@code entries} (n kiln_signal_entry),
     * {@code receivers} ({@code receiverCount} kiln_instance), {@code outcomes} (room for n),
     * {@code header} (a kiln_signal_batch to fill), {@code signalTables} the seven table pointers
     * of kiln_signal_batch (name_hash to bytes, the signal queue's); {@code receiverOf} gives the
     * instance of delivery k (engine-side, never read from the entries). Returns the outcomes
     * refused as malformed (0 for a well-behaved library).
     */
    static int invoke(ScriptLibrary library, MemorySegment frame, MemorySegment header, MemorySegment entries,
                      MemorySegment receivers, int receiverCount, MemorySegment outcomes, long[] signalTables, int n,
                      IntFunction<ScriptInstance> receiverOf, Outcomes sink, FaultRecovery.Context context) {
        return run(false, library, frame, header, entries, receivers, receiverCount, outcomes, signalTables, n,
                receiverOf, sink, context);
    }

    /**
     * As {@link #invoke}, for a round routed from the signal lane: kiln_script_signal_lane over
     * {@code deliveries} (n kiln_lane_delivery, each a whole signal; no signal tables).
     */
    static int invokeLane(ScriptLibrary library, MemorySegment frame, MemorySegment header, MemorySegment deliveries,
                          MemorySegment receivers, int receiverCount, MemorySegment outcomes, int n,
                          IntFunction<ScriptInstance> receiverOf, Outcomes sink, FaultRecovery.Context context) {
        return run(true, library, frame, header, deliveries, receivers, receiverCount, outcomes, NO_TABLES, n,
                receiverOf, sink, context);
    }

    private static final long[] NO_TABLES = new long[0];

    /** {@link #invoke} ({@code lane} false: entries are kiln_signal_entry) or {@link #invokeLane}. */
    private static int run(boolean lane, ScriptLibrary library, MemorySegment frame, MemorySegment header,
                           MemorySegment entries, MemorySegment receivers, int receiverCount, MemorySegment outcomes,
                           long[] signalTables, int n, IntFunction<ScriptInstance> receiverOf, Outcomes sink,
                           FaultRecovery.Context context) {
        long stride = lane ? LANE_DELIVERY_BYTES : ENTRY_BYTES;
        int start = 0, refused = 0;
        int roomMadeFor = -1;
        while (start < n) {
            int count = n - start;
            int usedBefore = context.usedBytes();
            header.set(JAVA_INT, STRUCT_VERSION, Layouts.SIGNAL_BATCH_STRUCT_VERSION);
            header.set(JAVA_INT, STRUCT_SIZE, (int) BATCH_BYTES);
            header.set(JAVA_INT, COUNT, count);
            header.set(JAVA_INT, CURRENT, NO_DELIVERY);
            header.set(JAVA_LONG, ENTRIES, lane ? 0L : entries.address() + start * ENTRY_BYTES);
            header.set(ADDRESS, RECEIVERS, receivers);
            header.set(ADDRESS, OUTCOMES, outcomes);
            header.set(JAVA_INT, OUTCOME_COUNT, 0);
            header.set(JAVA_INT, RECEIVER_COUNT, receiverCount);
            for (int t = 0; t < signalTables.length; t++) header.set(JAVA_LONG, TABLES + 8L * t, signalTables[t]);
            for (long b = TABLES + 8L * signalTables.length; b < BATCH_BYTES; b += 8) header.set(JAVA_LONG, b, 0L);
            if (lane) header.set(JAVA_LONG, DELIVERIES, entries.address() + start * LANE_DELIVERY_BYTES);
            int status;
            context.watchdog().begin(library.code(), context.nativeThread());
            try {
                status = lane ? library.code().signalLane(frame, header, count) : library.code().signalBatch(frame, header, count);
            } finally {
                context.watchdog().end();
            }
            int current = header.get(JAVA_INT, CURRENT);
            boolean named = current >= 0 && current < count;
            if (status == Layouts.STATUS_NEEDS_ROOM) {
                if (!named) { // the script returned 13 itself: as FaultRecovery, nothing more runs
                    return refused + take(outcomes, header, count, count, start, sink);
                }
                refused += take(outcomes, header, count, current, start, sink);
                int stopped = start + current;
                ScriptInstance waiting = receiverOf.apply(stopped);
                long need = (long) waiting.requestQuota() + Layouts.LOG_RESERVE_BYTES;
                if (stopped != roomMadeFor && context.makeRoom(need)) {
                    roomMadeFor = stopped;
                    start = stopped;
                    continue;
                }
                context.handler().instanceSkipped(waiting, FaultRecovery.noRoomReason(stopped == roomMadeFor, need));
                roomMadeFor = -1;
                start = stopped + 1;
                continue;
            }
            FaultGuard.Fault fault = status == FaultGuard.STATUS_FAULT ? library.code().lastFault() : null;
            if (fault == null || fault.kind() == FaultGuard.Kind.NONE) { // finished (or returned 12 itself)
                return refused + take(outcomes, header, count, count, start, sink);
            }
            if (!named || fault.kind().stopsLibrary()) { // the whole call's requests are discarded
                int from = usedBefore;
                if (named) from = faultedStart(lane, outcomes, header, count, current, usedBefore, receivers, entries, stride,
                        start, receiverCount);
                context.handler().libraryFaulted(library, named ? receiverOf.apply(start + current) : null, fault, from);
                return refused;
            }
            refused += take(outcomes, header, count, current, start, sink);
            int culprit = start + current;
            int cmdOffset = faultedStart(lane, outcomes, header, count, current, usedBefore, receivers, entries, stride, start,
                    receiverCount);
            context.handler().instanceFaulted(receiverOf.apply(culprit), fault, cmdOffset);
            start = culprit + 1;
        }
        return refused;
    }

    /**
     * Hands on the call's outcomes for entries below {@code until} (of {@code count}), checked;
     * returns how many were refused (out of order, out of range, or at or past {@code until}).
     */
    private static int take(MemorySegment outcomes, MemorySegment header, int count, int until, int start, Outcomes sink) {
        int written = header.get(JAVA_INT, OUTCOME_COUNT);
        int listed = Math.max(0, Math.min(written, count)); // the list has room for count
        int refused = Math.max(0, written) - listed;
        int last = -1;
        for (int k = 0; k < listed; k++) {
            long at = k * OUTCOME_BYTES;
            int entry = outcomes.get(JAVA_INT, at + O_ENTRY);
            if (entry <= last || entry >= until) {
                refused++;
                continue;
            }
            last = entry;
            sink.outcome(start + entry, outcomes.get(JAVA_INT, at + O_OFFSET), outcomes.get(JAVA_INT, at + O_BYTES),
                    outcomes.get(JAVA_INT, at + O_REFUSED), outcomes.get(JAVA_INT, at + O_DROPPED));
        }
        return refused;
    }

    /**
     * Where the requests of delivery {@code current} (of this call) start, which faulted: never
     * before the call's start ({@code usedBefore}), since what it is read from is memory the
     * script could write. A lane call's loop writes no receiver outputs (abi/kiln.h): its
     * deliveries' requests follow one another, and every delivery that left any has an outcome,
     * so the faulted one's start where the last outcome before it ends. A compact call's loop
     * writes the receiver's cmd_offset.
     */
    private static int faultedStart(boolean lane, MemorySegment outcomes, MemorySegment header, int count, int current,
                                    int usedBefore, MemorySegment receivers, MemorySegment entries, long stride, int start,
                                    int receiverCount) {
        if (!lane) return Math.max(usedBefore, receiverCmdOffset(receivers, entries, stride, start + current, receiverCount));
        long end = Integer.toUnsignedLong(usedBefore);
        int listed = Math.max(0, Math.min(header.get(JAVA_INT, OUTCOME_COUNT), count));
        int last = -1;
        for (int k = 0; k < listed; k++) { // the outcomes take() accepts: ascending, before the fault
            long at = k * OUTCOME_BYTES;
            int entry = outcomes.get(JAVA_INT, at + O_ENTRY);
            if (entry <= last || entry >= current) continue;
            last = entry;
            end = Math.max(end, Integer.toUnsignedLong(outcomes.get(JAVA_INT, at + O_OFFSET))
                    + Integer.toUnsignedLong(outcomes.get(JAVA_INT, at + O_BYTES)));
        }
        return (int) Math.min(end, 0xFFFF_FFFFL);
    }

    /** cmd_offset the handler loop wrote into delivery k's receiver (0 when the entry names none). */
    private static int receiverCmdOffset(MemorySegment receivers, MemorySegment entries, long stride, int k,
                                         int receiverCount) {
        int r = entries.get(JAVA_INT, k * stride); // the receiver is the first field of both kinds of entry
        if (r < 0 || r >= receiverCount) return 0;
        return receivers.get(JAVA_INT, r * RECEIVER_BYTES + Layouts.INSTANCE_CMD_OFFSET);
    }
}
