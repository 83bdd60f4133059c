package dev.kiln.script;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.kiln.abi.FaultGuard;
import dev.kiln.abi.Layouts;
import dev.kiln.abi.ScriptCode;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Calls one library's batch function over its entries (kiln_instance, or kiln_signal_delivery
 * which starts with one) and contains faults: the instance still marked RUNNING is the culprit;
 * its partial requests are discarded, it is reported and disabled, and the call resumes with
 * the entries after it. A watchdog timeout poisons the whole library instead (it may have been
 * stopped while holding anything), and a fault that names no instance (a C script that does
 * not mark RUNNING) discards the whole call's requests.
 */
final class FaultRecovery {
    /** Receives contained faults; implemented by the runtime. */
    interface Handler {
        /** An instance faulted; its requests from {@code cmdOffset} on are to be discarded. */
        void instanceFaulted(ScriptInstance instance, FaultGuard.Fault fault, int cmdOffset);

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
        int start = 0;
        while (start < count) {
            int usedBefore = context.usedBytes();
            int status;
            context.watchdog().begin(library.code(), context.nativeThread());
            try {
                status = call.invoke(library.code(), frame, entries.asSlice(start * stride), count - start);
            } finally {
                context.watchdog().end();
            }
            if (status != FaultGuard.STATUS_FAULT) return;
            FaultGuard.Fault fault = library.code().lastFault();
            if (fault == null || fault.kind() == FaultGuard.Kind.NONE) return; // the script returned 12 itself
            int culprit = findRunning(entries, stride, start, count);
            if (culprit < 0 || fault.kind().stopsLibrary()) {
                clearRanges(entries, stride, start, count);
                int from = culprit < 0 ? usedBefore
                        : Math.max(usedBefore, entries.get(JAVA_INT, culprit * stride + Layouts.INSTANCE_CMD_OFFSET));
                context.handler().libraryFaulted(library, culprit < 0 ? null : members.get(culprit), fault, from);
                return;
            }
            // Never before this call's start: the entry is memory the script could write.
            int cmdOffset = Math.max(usedBefore, entries.get(JAVA_INT, culprit * stride + Layouts.INSTANCE_CMD_OFFSET));
            clearRanges(entries, stride, culprit, culprit + 1);
            context.handler().instanceFaulted(members.get(culprit), fault, cmdOffset);
            start = culprit + 1;
        }
    }

    private static int findRunning(MemorySegment entries, long stride, int start, int count) {
        for (int k = start; k < count; k++) {
            if (entries.get(JAVA_INT, k * stride + Layouts.INSTANCE_STATUS) == FaultGuard.STATUS_RUNNING) return k;
        }
        return -1;
    }

    /** Entries that did not finish contribute no requests. */
    private static void clearRanges(MemorySegment entries, long stride, int from, int to) {
        for (int k = from; k < to; k++) {
            entries.set(JAVA_INT, k * stride + Layouts.INSTANCE_CMD_BYTES, 0);
            entries.set(JAVA_INT, k * stride + Layouts.INSTANCE_STATUS, FaultGuard.STATUS_FAULT);
        }
    }

    /** What a guarded call needs from the runtime. */
    interface Context {
        Handler handler();

        Watchdog watchdog();

        long nativeThread();

        int usedBytes();
    }
}
