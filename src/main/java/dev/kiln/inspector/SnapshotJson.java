package dev.kiln.inspector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * Serialises the latest snapshot once per snapshot (not once per client), adding what must not
 * be computed on the frame thread (git commits). Server threads only.
 */
final class SnapshotJson {
    private final FrameBridge bridge;
    private final ObjectMapper json;
    private final ScriptProvenance provenance = new ScriptProvenance();
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
        List<Snapshot.LibraryView> scripts = s.scripts().stream()
                .map(l -> l.gitCommit() != null ? l : l.withGitCommit(provenance.commit(l.source(), l.sourceHash()))).toList();
        Snapshot enriched = new Snapshot(s.seq(), s.frame(), s.time(), s.control(), s.entities(), s.details(), scripts,
                s.errors(), s.frames());
        try {
            cached = json.writeValueAsString(enriched);
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
