package dev.kiln.rewind;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Where a replay first left its recording.
 *
 * @param frame    the first frame that differs from the recorded run; when the entity cannot be
 *                 named (see below), the first hashed frame whose hash differs
 * @param entity   the first entity (by index) with a differing field, as "3v1 (name)"; null when
 *                 the reference run (the recording re-simulated with its own code) could not be
 *                 rebuilt, did not reproduce the recording itself, or agrees with the replay: the
 *                 recorded run had an input the recording does not hold, or a script is not
 *                 deterministic
 * @param field    that entity's first differing field (see {@link WorldImage}), or null
 * @param recorded the field's value in the recorded run, or null (the entity or field is absent)
 * @param replayed the field's value in the replay, or null
 * @param earliest the earliest frame the divergence can be at: {@code frame} when the entity is
 *                 named; otherwise the frame after the last hashed frame that matched (the
 *                 recorder hashes every K-th frame, and a change the recording does not hold
 *                 cannot be found between two hashes by re-simulating)
 * @param cause    when the entity cannot be named, why not, as a person reads it; null otherwise
 */
public record Divergence(long frame, String entity, String field, String recorded, String replayed, long earliest,
                         String cause) {
    /** Why a replay's divergence names no entity: both re-simulations agree (see {@link #entity}). */
    public static final String RESIMULATION_AGREES = "the hash differs from the recording's, but a re-simulation of the"
            + " recording agrees with the replay: something the recording does not hold changed the run here (a host"
            + " write, an unrecorded edit), or a script is not deterministic";
    /** Why a live replay's divergence names no entity: it has no reference run to compare frame by frame. */
    public static final String NOT_HASHED_BETWEEN = "the hash differs from the recording's; the recorder did not hash"
            + " the frames before it, so the change came in somewhere since the last frame that matched (a replay"
            + " of the saved recording, kiln replay, names the exact frame, entity and field)";

    /** A divergence known to its exact frame. */
    public Divergence(long frame, String entity, String field, String recorded, String replayed) {
        this(frame, entity, field, recorded, replayed, frame, entity == null ? RESIMULATION_AGREES : null);
    }

    /** A divergence somewhere in frames {@code earliest} to {@code frame}, the cause as a re-simulation finds it. */
    public Divergence(long frame, String entity, String field, String recorded, String replayed, long earliest) {
        this(frame, entity, field, recorded, replayed, earliest, entity == null ? RESIMULATION_AGREES : null);
    }

    /** The first entity and field in which {@code recorded} and {@code replayed} differ at {@code frame}. */
    public static Divergence between(long frame, WorldImage recorded, WorldImage replayed) {
        TreeSet<Integer> indices = new TreeSet<>(recorded.entities().keySet());
        indices.addAll(replayed.entities().keySet());
        for (int index : indices) {
            Map<String, String> a = recorded.entities().getOrDefault(index, Map.of());
            Map<String, String> b = replayed.entities().getOrDefault(index, Map.of());
            if (a.equals(b)) continue;
            String label = label(a.isEmpty() ? b : a);
            LinkedHashSet<String> fields = new LinkedHashSet<>(a.keySet());
            fields.addAll(b.keySet());
            for (String field : fields) {
                String x = a.get(field), y = b.get(field);
                if (!Objects.equals(x, y)) return new Divergence(frame, label, field, x, y);
            }
        }
        return new Divergence(frame, null, null, null, null);
    }

    /** A divergence at {@code frame} whose entity and field cannot be named. */
    public static Divergence unexplained(long frame) {
        return new Divergence(frame, null, null, null, null);
    }

    /**
     * A divergence seen at hashed frame {@code frame} whose entity and field cannot be named,
     * somewhere in frames {@code earliest} to {@code frame}.
     */
    public static Divergence unexplained(long earliest, long frame) {
        return new Divergence(frame, null, null, null, null, Math.min(earliest, frame));
    }

    /**
     * A divergence seen by a live replay at hashed frame {@code frame}, somewhere in frames
     * {@code earliest} to {@code frame}: it checks the recorded hashes only and rebuilds no
     * reference run, so it names no entity ({@link #NOT_HASHED_BETWEEN}).
     */
    public static Divergence sinceLastMatch(long earliest, long frame) {
        return new Divergence(frame, null, null, null, null, Math.min(earliest, frame), NOT_HASHED_BETWEEN);
    }

    private static String label(Map<String, String> fields) {
        return fields.get("handle");
    }

    /** One line: "frame 101: entity 3v1, field position: recorded Vec3[...], replayed Vec3[...]". */
    @Override
    public String toString() {
        if (entity == null) {
            return (earliest < frame ? "frames " + earliest + " to " + frame + " (unhashed frames between)" : "frame " + frame)
                    + ": " + cause;
        }
        return "frame " + frame + ": entity " + entity + ", field " + field + ": recorded " + recorded
                + ", replayed " + replayed;
    }
}
