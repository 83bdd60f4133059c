package dev.kiln.script;

import dev.kiln.dataplane.HotApply;
import java.util.Arrays;

/**
 * Byte ranges of the command buffer in the order they must be applied, each with the instance
 * that wrote it, that instance's request quota, and what its call reported refusing (requests
 * over the quota, log lines over quota + log reserve).
 */
final class CommandRanges {
    private int[] offsets = new int[256];
    private int[] lengths = new int[256];
    private int[] owners = new int[256];
    private int[] quotas = new int[256];
    private int[] refused = new int[256];
    private int[] logsDropped = new int[256];
    /**
     * Non-zero for a range the Java decoder must take whole: past its quota (the engine refuses
     * what lies past it) or with refusals to report. The native apply path stops at it.
     */
    private int[] javaOnly = new int[256];
    private int count;

    void add(int offset, int length, int owner) {
        add(offset, length, owner, 0, 0, 0);
    }

    /** A range and its quota; kept when it is empty but its call refused something. */
    void add(int offset, int length, int owner, int quota, int refusedRequests, int droppedLogs) {
        if (length == 0 && refusedRequests == 0 && droppedLogs == 0) return;
        ensureRoom(1);
        offsets[count] = offset;
        lengths[count] = length;
        owners[count] = owner;
        quotas[count] = quota;
        refused[count] = refusedRequests;
        logsDropped[count] = droppedLogs;
        javaOnly[count] = (quota > 0 && length > quota) || refusedRequests != 0 || droppedLogs != 0 ? 1 : 0;
        count++;
    }

    /**
     * Lowers range {@code i}'s quota to {@code quota} bytes (a multiple of 8, at least 8): what is
     * left of its owner's quota for a barrier's dispatch rounds. A range longer than that goes to
     * the Java decoder, which refuses and counts every request past it.
     */
    void limit(int i, int quota) {
        quotas[i] = quota;
        if (lengths[i] > quota) javaOnly[i] = 1;
    }

    /** Makes room for {@code more} ranges past the count (before a bulk append). */
    void ensureRoom(int more) {
        if (count + more <= offsets.length) return;
        int size = Math.max(offsets.length * 2, count + more);
        offsets = Arrays.copyOf(offsets, size);
        lengths = Arrays.copyOf(lengths, size);
        owners = Arrays.copyOf(owners, size);
        quotas = Arrays.copyOf(quotas, size);
        refused = Arrays.copyOf(refused, size);
        logsDropped = Arrays.copyOf(logsDropped, size);
        javaOnly = Arrays.copyOf(javaOnly, size);
    }

    /**
     * Appends the command ranges of {@code n} kiln_instance entries natively (see
     * {@link HotApply#collect}): the same ranges {@link #add} would keep, in the same order.
     */
    void addAll(HotApply hot, long[] entries, int[] ids, int[] quotasOf, int n) {
        ensureRoom(n);
        count = hot.collect(entries, ids, quotasOf, n, offsets, lengths, owners, quotas, refused, logsDropped, javaOnly,
                count);
    }

    int owner(int i) {
        return owners[i];
    }

    int count() {
        return count;
    }

    int offset(int i) {
        return offsets[i];
    }

    int length(int i) {
        return lengths[i];
    }

    /** The owner's request quota in bytes (0: none). */
    int quota(int i) {
        return quotas[i];
    }

    /** Requests its call said it refused for the quota (the script's own count). */
    int refused(int i) {
        return refused[i];
    }

    int logsDropped(int i) {
        return logsDropped[i];
    }

    /** The tables themselves, for the native apply path (entries [0, count) are valid). */
    int[] offsets() {
        return offsets;
    }

    int[] lengths() {
        return lengths;
    }

    int[] owners() {
        return owners;
    }

    int[] javaOnly() {
        return javaOnly;
    }

    void clear() {
        count = 0;
    }
}
