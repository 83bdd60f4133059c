package dev.kiln.script;

import dev.kiln.abi.CommandBuffer;
import dev.kiln.abi.Layouts;
import java.util.HashMap;
import java.util.Map;

/**
 * Bytes of requests one hook call of a script's instance may post (docs/reliability.md,
 * "Request quota"): per-script quotas over a default, each as used — at least
 * {@link CommandBuffer#REQUEST_QUOTA_BYTES_MIN}, a multiple of 8, and at most the command
 * buffer's initial capacity less the log reserve, so one instance always fits in a fresh buffer
 * and in an isolated host's copy of it. Frame thread.
 */
final class RequestQuotas {
    /** The command buffer's size before any growth: what an isolated host's copy holds too. */
    private final int initialCommandCapacity;
    /** The quota of instances whose script has none of its own. */
    private int defaultQuota;
    /** Quotas of particular scripts, by name (a scene's "request_quota"). */
    private final Map<String, Integer> byScript = new HashMap<>();

    RequestQuotas(int initialCommandCapacity) {
        this.initialCommandCapacity = initialCommandCapacity;
        this.defaultQuota = effective(CommandBuffer.DEFAULT_REQUEST_QUOTA_BYTES);
    }

    /** {@code bytes} as a quota is used (see the class comment). */
    int effective(long bytes) {
        long most = Math.max(CommandBuffer.REQUEST_QUOTA_BYTES_MIN, (long) initialCommandCapacity - Layouts.LOG_RESERVE_BYTES);
        long q = Math.clamp(bytes, CommandBuffer.REQUEST_QUOTA_BYTES_MIN, most);
        return (int) (q & ~7L);
    }

    /** Sets the default; returns it as used. */
    int setDefault(long bytes) {
        defaultQuota = effective(bytes);
        return defaultQuota;
    }

    /** Sets script {@code name}'s quota (null: the default again); returns it as used. */
    int setFor(String name, Long bytes) {
        if (bytes == null) byScript.remove(name);
        else byScript.put(name, effective(bytes));
        return of(name);
    }

    /** Bytes of requests one hook call of script {@code name} may post. */
    int of(String name) {
        Integer own = byScript.get(name);
        return own != null ? own : defaultQuota;
    }
}
