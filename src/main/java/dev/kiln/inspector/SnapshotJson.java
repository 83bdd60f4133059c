package dev.kiln.inspector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Serialises the latest snapshot once per snapshot (not once per client). Server threads only. */
final class SnapshotJson {
    private final FrameBridge bridge;
    private final ObjectMapper json;
    private long cachedSeq = -1;
    private String cached = "null";

    SnapshotJson(FrameBridge bridge, ObjectMapper json) {
        this.bridge = bridge;
        this.json = json;
    }

    /** The newest snapshot as JSON ("null" before the first frame boundary). */
    synchronized String current() {
        Snapshot s = bridge.latest();
        if (s == null || s.seq() == cachedSeq) return cached;
        try {
            cached = json.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not serialise snapshot " + s.seq() + ": " + e.getMessage(), e);
        }
        cachedSeq = s.seq();
        return cached;
    }

    synchronized long seq() {
        return cachedSeq;
    }
}
