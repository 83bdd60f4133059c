package dev.kiln.embed;

import dev.kiln.ecs.Entities;
import dev.kiln.ecs.World;
import java.util.BitSet;

/**
 * Bulk reads of entity transforms for rendering: the positions (and rotations, scales) of every
 * entity carrying a tag, copied into the game's own float arrays in one call, with no object per
 * entity. Keep the arrays from frame to frame; nothing here allocates per entity.
 *
 * <p><b>Shapes:</b> entity k of a result is {@code xyz[3k..3k+2]}, {@code rotation[4k..4k+3]}
 * (a unit quaternion x, y, z, w), {@code scale[3k..3k+2]}, {@code handles[k]}, by ascending
 * entity index (a stable order between frames while the set of entities stays the same).
 *
 * <p><b>Two steps, like the SDK's queries:</b> every copy returns how many entities matched;
 * when that is more than the arrays hold, the arrays are filled as far as they go and the
 * rest is left out: grow them to the count and copy again (or size them with {@link #count}).
 *
 * <p><b>Units and time:</b> world units, rotations as quaternions; the values are those applied
 * by the last {@link Kiln#step}. Call between steps, on the thread that steps; the copies are
 * yours and stay valid for as long as you like.
 */
public final class Transforms {
    private final World world;

    Transforms(World world) {
        this.world = world;
    }

    /** Live entities carrying {@code tag}. */
    public int count(String tag) {
        BitSet set = world.tagIndex().all().get(tag);
        return set == null ? 0 : set.cardinality();
    }

    /**
     * Copies the positions of the entities carrying {@code tag} into {@code xyz} (3 floats
     * each) and their handles into {@code handles} (may be null); returns how many matched.
     */
    public int copyPositions(String tag, float[] xyz, long[] handles) {
        return copy(tag, xyz, null, null, handles);
    }

    /**
     * Copies position (3 floats), rotation (4) and scale (3) of the entities carrying
     * {@code tag}; any array may be null to skip it. Returns how many matched.
     */
    public int copy(String tag, float[] xyz, float[] rotation, float[] scale, long[] handles) {
        BitSet set = world.tagIndex().all().get(tag);
        if (set == null) return 0;
        float[] positions = world.rawPositions(), rotations = world.rawRotations(), scales = world.rawScales();
        int k = 0;
        for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1), k++) {
            if (xyz != null && 3 * k + 3 <= xyz.length) System.arraycopy(positions, 3 * i, xyz, 3 * k, 3);
            if (rotation != null && 4 * k + 4 <= rotation.length) System.arraycopy(rotations, 4 * i, rotation, 4 * k, 4);
            if (scale != null && 3 * k + 3 <= scale.length) System.arraycopy(scales, 3 * i, scale, 3 * k, 3);
            if (handles != null && k < handles.length) handles[k] = Entities.handle(i, world.generationAt(i));
        }
        return k;
    }

    /** Copies one entity's position into {@code out[0..2]}; false (out untouched) when it is not alive. */
    public boolean position(long entity, float[] out) {
        if (!world.isAlive(entity)) return false;
        System.arraycopy(world.rawPositions(), 3 * Entities.index(entity), out, 0, 3);
        return true;
    }
}
