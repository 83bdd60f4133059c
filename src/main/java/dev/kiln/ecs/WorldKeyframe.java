package dev.kiln.ecs;

import java.util.BitSet;
import java.util.Map;

/**
 * A copy of every table of a {@link World} at a frame boundary: what a rewind keyframe keeps of
 * the world (docs/rewind.md). Made by {@link World#exportKeyframe()}, put back by
 * {@link World#importKeyframe}; the world knows nothing of scripts, so their side of a keyframe
 * is kept elsewhere. Arrays hold the rows up to the high-water mark ({@code highWater} rows;
 * transforms 3 or 4 floats a row); treat as immutable.
 *
 * @param highWater  rows ever used
 * @param generations, alive, positions, rotations, scales, velocities, names, integrationHeld
 *                   the entity rows
 * @param freeList   free row indices, {@code freeList.length} of them, in reuse order
 * @param tags       tag name → entity indices
 * @param components per component type hash, its store's rows
 * @param vars       per entity index, its ScriptVars (values are immutable)
 */
public record WorldKeyframe(int highWater, int aliveCount, int movingCount, int[] generations, byte[] alive,
                            float[] positions, float[] rotations, float[] scales, float[] velocities, String[] names,
                            byte[] integrationHeld, int[] freeList, Map<String, BitSet> tags,
                            Map<Long, ComponentRows> components, Map<Integer, Map<String, VarValue>> vars) {

    /** One component store's rows: its schema, entity index → row (-1: none), row → entity, the row bytes. */
    public record ComponentRows(ComponentSchema schema, int[] entityToRow, int[] rowToEntity, byte[] rows, int rowCount) {}

    /** Heap bytes this keyframe holds, roughly: what a keyframe ring's budget counts. */
    public long footprintBytes() {
        long bytes = 256 + highWater * (4L + 1 + 13 * 4 + 8 + 1) + freeList.length * 4L;
        for (BitSet b : tags.values()) bytes += 64 + b.size() / 8;
        for (ComponentRows c : components.values()) bytes += 64 + c.entityToRow.length * 4L + c.rowToEntity.length * 4L + c.rows.length;
        for (Map<String, VarValue> v : vars.values()) bytes += 64 + v.size() * 96L;
        return bytes;
    }
}
