package dev.kiln.script;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.kiln.abi.CommandBuffer;
import dev.kiln.abi.Layouts;
import dev.kiln.dataplane.FrameBlock;
import dev.kiln.dataplane.SignalLane;
import dev.kiln.ecs.Status;
import dev.kiln.loader.FaultGuard;
import dev.kiln.loader.ScriptCode;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Calls one library's batch function over its entries (kiln_instance, or kiln_signal_delivery
 * which starts with one) and contains faults: the instance still marked RUNNING is the culprit;
 * its partial requests are discarded, it is reported and disabled, and the call resumes with
 * the entries after it. A watchdog timeout poisons the whole library instead (it may have been
 * stopped while holding anything), and a fault that names no instance (a C script that does
 * not mark RUNNING) discards the whole call's requests.
 *
 * It also runs the batch room protocol (abi/kiln.h): a call that returns KILN_ERR_NEEDS_ROOM
 * stopped before the entry marked KILN_STATUS_STOPPED_FOR_ROOM; the runtime makes room for that
 * instance's quota and the call resumes from it, so hooks run in the same order as in one call.
 */
final class FaultRecovery {

    /** Receives contained faults; implemented by the runtime. */
    interface Handler {
        /** An instance faulted; its requests from {@code cmdOffset} on are to be discarded. */
        void instanceFaulted(ScriptInstance instance, FaultGuard.Fault fault, int cmdOffset);

        /**
         * An instance did not run in this call: its library stopped before it for room and no
         * room could be made, or stopped again although the room was made.
         */
        default void instanceSkipped(ScriptInstance instance, String reason) {}

        /**
         * The whole library is to be stopped ({@code culprit} null when no instance could be
         * named); requests from {@code cmdOffset} on are discarded.
         */
        void libraryFaulted(ScriptLibrary library, ScriptInstance culprit, FaultGuard.Fault fault, int cmdOffset);
    }

    /** Which native call a batch makes. */
    interface Call {
        int invoke(ScriptCode library, MemorySegment frame, MemorySegment entries, int count);
    }

    private FaultRecovery() {}

    static void invoke(ScriptLibrary library, MemorySegment frame, MemorySegment entries, long stride, int count,
                       List<ScriptInstance> members, Call call, Context context) {
        invoke(library, frame, entries, stride, count, members, null, null, null, call, context);
    }

    /**
     * As above, for an update call that offers {@code own}, the own-transform column parallel to
     * {@code entries} (kiln_own_transform per entry; null: none): kiln_frame.own_transforms
     * points at the column's part of each call (from the entry it starts at) during the call, and
     * at nothing after it. A culprit's or a skipped instance's slot is cleared with its range.
     */
    static void invoke(ScriptLibrary library, MemorySegment frame, MemorySegment entries, long stride, int count,
                       List<ScriptInstance> members, MemorySegment own, Call call, Context context) {
        invoke(library, frame, entries, stride, count, members, own, null, null, call, context);
    }

    /**
     * As above, also offering {@code lane} (null: none) with {@code laneParts}, the kiln_lane_part
     * column parallel to {@code entries}: kiln_frame.signal_lane points at the lane, its parts at
     * the column's part of each call, during the call. A culprit's or a skipped instance's part is
     * cleared with its range.
     */
    static void invoke(ScriptLibrary library, MemorySegment frame, MemorySegment entries, long stride, int count,
                       List<ScriptInstance> members, MemorySegment own, SignalLane lane, MemorySegment laneParts,
                       Call call, Context context) {
        MemorySegment parts = lane == null ? null : laneParts;
        try {
            invokeCalls(library, frame, entries, stride, count, members, own, lane, parts, call, context);
        } finally {
            if (own != null) FrameBlock.setOwnTransforms(frame, 0);
            if (lane != null) SignalLane.withdraw(frame);
        }
    }

    /**
     * Points the frame at the offered columns' parts (null: not offered) for a call starting at entry
     * {@code start}. Plain arguments, not an object per call: the frame thread allocates nothing per call.
     */
    private static void offer(MemorySegment frame, int start, MemorySegment own, SignalLane lane, MemorySegment laneParts) {
        if (own != null) FrameBlock.setOwnTransforms(frame, own.address() + start * InstanceBatch.OWN);
        if (lane != null) lane.offer(frame, laneParts.address() + start * SignalLane.PART);
    }

    private static void invokeCalls(ScriptLibrary library, MemorySegment frame, MemorySegment entries, long stride,
                                    int count, List<ScriptInstance> members, MemorySegment own, SignalLane lane,
                                    MemorySegment laneParts, Call call, Context context) {
        int start = 0;
        int roomMadeFor = -1; // the entry the runtime last made room for
        while (start < count) {
            int usedBefore = context.usedBytes();
            int status;
            offer(frame, start, own, lane, laneParts);
            context.watchdog().begin(library.code(), context.nativeThread());
            try {
                status = call.invoke(library.code(), frame, entries.asSlice(start * stride), count - start);
            } finally {
                context.watchdog().end();
            }
            if (status == Layouts.STATUS_NEEDS_ROOM) {
                int stopped = findStatus(entries, stride, start, count, Layouts.STATUS_STOPPED_FOR_ROOM);
                if (stopped < 0) return; // the script returned 13 itself
                ScriptInstance waiting = members.get(stopped);
                long need = (long) waiting.requestQuota() + Layouts.LOG_RESERVE_BYTES;
                if (stopped != roomMadeFor && context.makeRoom(need)) {
                    roomMadeFor = stopped;
                    start = stopped;
                    continue;
                }
                clearRanges(entries, stride, own, laneParts, stopped, stopped + 1);
                entries.set(JAVA_INT, stopped * stride + Layouts.INSTANCE_STATUS, Status.BUFFER_FULL.code());
                context.handler().instanceSkipped(waiting, noRoomReason(stopped == roomMadeFor, need));
                roomMadeFor = -1;
                start = stopped + 1;
                continue;
            }
            if (status != FaultGuard.STATUS_FAULT) return;
            FaultGuard.Fault fault = library.code().lastFault();
            if (fault == null || fault.kind() == FaultGuard.Kind.NONE) return; // the script returned 12 itself
            int culprit = findRunning(entries, stride, start, count);
            if (culprit < 0 || fault.kind().stopsLibrary()) {
                clearRanges(entries, stride, own, laneParts, start, count);
                int from = culprit < 0 ? usedBefore
                        : Math.max(usedBefore, entries.get(JAVA_INT, culprit * stride + Layouts.INSTANCE_CMD_OFFSET));
                context.handler().libraryFaulted(library, culprit < 0 ? null : members.get(culprit), fault, from);
                return;
            }
            // Never before this call's start: the entry is memory the script could write.
            int cmdOffset = Math.max(usedBefore, entries.get(JAVA_INT, culprit * stride + Layouts.INSTANCE_CMD_OFFSET));
            clearRanges(entries, stride, own, laneParts, culprit, culprit + 1);
            context.handler().instanceFaulted(members.get(culprit), fault, cmdOffset);
            start = culprit + 1;
        }
    }

    /**
     * Why an instance its library stopped before did not run: it stopped {@code again} after the
     * room ({@code need} bytes) was made, or the buffer could not grow.
     */
    static String noRoomReason(boolean again, long need) {
        return again
                ? "its library stopped before it for room again, although the command buffer had " + need + " bytes free for it"
                : "the command buffer cannot grow past " + CommandBuffer.CAPACITY_BYTES_MAX + " bytes to make room for its quota";
    }

    private static int findRunning(MemorySegment entries, long stride, int start, int count) {
        return findStatus(entries, stride, start, count, FaultGuard.STATUS_RUNNING);
    }

    private static int findStatus(MemorySegment entries, long stride, int start, int count, int status) {
        for (int k = start; k < count; k++) {
            if (entries.get(JAVA_INT, k * stride + Layouts.INSTANCE_STATUS) == status) return k;
        }
        return -1;
    }

    /** Entries that did not finish contribute no requests (and report no refusals), own transforms and lane parts included. */
    private static void clearRanges(MemorySegment entries, long stride, MemorySegment own, MemorySegment laneParts,
                                    int from, int to) {
        for (int k = from; k < to; k++) {
            if (own != null) own.set(JAVA_INT, k * InstanceBatch.OWN + InstanceBatch.OWN_KIND, 0);
            if (laneParts != null) laneParts.set(JAVA_INT, k * SignalLane.PART + SignalLane.PART_COUNT, 0);
            entries.set(JAVA_INT, k * stride + Layouts.INSTANCE_CMD_BYTES, 0);
            entries.set(JAVA_INT, k * stride + Layouts.INSTANCE_CMD_REFUSED, 0);
            entries.set(JAVA_INT, k * stride + Layouts.INSTANCE_LOG_DROPPED, 0);
            entries.set(JAVA_INT, k * stride + Layouts.INSTANCE_STATUS, FaultGuard.STATUS_FAULT);
        }
    }

    /** What a guarded call needs from the runtime. */
    interface Context {
        Handler handler();

        Watchdog watchdog();

        /**
         * Whether each library's time in its calls is wanted ({@link ScriptLibrary#callNanos}: the
         * inspector's per-library time): a clock reading per library call, 20–30 ns each, paid
         * only while something reads them.
         */
        default boolean timesLibraryCalls() {
            return false;
        }

        long nativeThread();

        int usedBytes();

        /**
         * Makes at least {@code bytes} of the command buffer free for the next instance (grows
         * it); false when it cannot. Called only between script calls.
         */
        default boolean makeRoom(long bytes) {
            return false;
        }
    }
}
