package dev.kiln.script;

import java.util.Arrays;

/**
 * One instance's signal connections: (signal name hash, sender filter, connection id). The id
 * is kiln_connection_id(name hash, sender) (dev.kiln.abi.ConnectionIds), so connecting twice
 * with the same name and sender is one connection. They live with the instance, engine-side,
 * so they survive hot reloads of its library. A few at most per instance: parallel arrays and
 * scans, no boxing on the per-delivery check.
 */
final class SignalConnections {
    /** Connections one instance may hold; more are refused (a script connecting per frame to new senders). */
    static final int PER_INSTANCE_MAX = 1024;

    /** What {@link #add} did. */
    enum Added { FIRST_OF_NAME, ADDED, ALREADY, FULL }

    private long[] names = new long[2];
    private long[] senders = new long[2];
    private long[] ids = new long[2];
    private int count;

    boolean hasName(long nameHash) {
        for (int k = 0; k < count; k++) if (names[k] == nameHash) return true;
        return false;
    }

    /** True when a signal {@code nameHash} from entity {@code sender} reaches this instance. */
    boolean accepts(long nameHash, long sender) {
        for (int k = 0; k < count; k++) {
            if (names[k] == nameHash && (senders[k] == 0 || senders[k] == sender)) return true;
        }
        return false;
    }

    Added add(long nameHash, long sender, long id) {
        if (indexOfId(id) >= 0) return Added.ALREADY;
        if (count == PER_INSTANCE_MAX) return Added.FULL;
        boolean first = !hasName(nameHash);
        if (count == names.length) {
            int n = count * 2;
            names = Arrays.copyOf(names, n);
            senders = Arrays.copyOf(senders, n);
            ids = Arrays.copyOf(ids, n);
        }
        names[count] = nameHash;
        senders[count] = sender;
        ids[count] = id;
        count++;
        return first ? Added.FIRST_OF_NAME : Added.ADDED;
    }

    /** Where connection {@code id} is, or -1. */
    int indexOfId(long id) {
        for (int k = 0; k < count; k++) if (ids[k] == id) return k;
        return -1;
    }

    long nameAt(int k) {
        return names[k];
    }

    /** The sender filter of connection {@code k} (NULL: any). */
    long senderAt(int k) {
        return senders[k];
    }

    int count() {
        return count;
    }

    void removeAt(int k) {
        count--;
        names[k] = names[count];
        senders[k] = senders[count];
        ids[k] = ids[count];
    }

    /** Removes every connection to {@code nameHash}; how many there were. */
    int removeName(long nameHash) {
        int removed = 0;
        for (int k = count - 1; k >= 0; k--) {
            if (names[k] == nameHash) {
                removeAt(k);
                removed++;
            }
        }
        return removed;
    }

    /** The distinct names connected to. */
    long[] names() {
        return Arrays.stream(names, 0, count).distinct().toArray();
    }

    /** The connection ids, in the order they were made (a copy). */
    long[] ids() {
        return Arrays.copyOf(ids, count);
    }
}
