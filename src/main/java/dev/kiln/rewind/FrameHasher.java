package dev.kiln.rewind;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.kiln.ecs.ComponentStore;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.World;
import dev.kiln.script.ScriptInstance;
import dev.kiln.script.ScriptRuntime;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import java.util.Map;

/**
 * A 64-bit hash of everything a frame leaves behind that the next frame can read: every live
 * entity's handle (index and generation), position, rotation, scale and velocity; the tag,
 * component and ScriptVar tables; and every script instance's id, entity, enabled flag and State
 * bytes. Two runs that agree on it agree on the world and every State (up to hash collisions).
 *
 * <p>Tables and instances are folded with a commutative sum, so the order a map happens to
 * iterate in does not matter; the tag, component and var tables are rehashed only when their
 * version changed since the last call (one hasher per engine: versions are per world). Entity
 * names are not hashed (scripts cannot change them). Containers in State are hashed by their
 * handles, not their elements (the elements live in engine memory the recorder does not copy yet).
 * Call on the frame thread between frames.
 */
public final class FrameHasher {
    private long tagsVersion = -1, tagsHash;
    private long varsVersion = -1, varsHash;
    private final java.util.HashMap<Long, long[]> componentHashes = new java.util.HashMap<>();

    /** The hash of {@code world} and {@code scripts}' instances now. */
    public long hash(World world, ScriptRuntime scripts) {
        long h = transforms(world);
        h = mix(h ^ tags(world));
        h = mix(h ^ components(world));
        h = mix(h ^ vars(world));
        return mix(h ^ states(scripts));
    }

    private static long transforms(World world) {
        float[] p = world.rawPositions(), r = world.rawRotations(), s = world.rawScales(), v = world.rawVelocities();
        long h = 0x5EED;
        int high = world.highWater();
        for (int i = 0; i < high; i++) {
            if (!world.aliveAt(i)) continue;
            h = mix(h ^ (((long) world.generationAt(i) << 32) | i));
            for (int k = 0; k < 3; k++) {
                h = mix(h ^ Float.floatToRawIntBits(p[i * 3 + k]) ^ ((long) Float.floatToRawIntBits(v[i * 3 + k]) << 32));
                h = mix(h ^ Float.floatToRawIntBits(s[i * 3 + k]) ^ ((long) Float.floatToRawIntBits(r[i * 4 + k]) << 32));
            }
            h = mix(h ^ Float.floatToRawIntBits(r[i * 4 + 3]));
        }
        return h;
    }

    private long tags(World world) {
        long version = world.tagIndex().version();
        if (version == tagsVersion) return tagsHash;
        long sum = 0;
        for (Map.Entry<String, BitSet> e : world.tagIndex().all().entrySet()) {
            long name = e.getKey().hashCode();
            BitSet set = e.getValue();
            for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) sum += mix(name * 31 + i);
        }
        tagsVersion = version;
        tagsHash = sum;
        return sum;
    }

    private long components(World world) {
        long sum = 0;
        for (ComponentStore store : world.componentStores()) {
            long type = store.schema().typeHash();
            long[] cached = componentHashes.get(type);
            if (cached == null || cached[0] != store.version()) {
                long h = 0;
                int[] toRow = store.entityToRow();
                for (int i = 0; i < toRow.length; i++) {
                    if (!store.has(i)) continue;
                    h += mix(type ^ i ^ hash(store.get(i)));
                }
                cached = new long[] {store.version(), h};
                componentHashes.put(type, cached);
            }
            sum += cached[1];
        }
        return sum;
    }

    private long vars(World world) {
        long version = world.varsVersion();
        if (version == varsVersion) return varsHash;
        long sum = 0;
        for (Map.Entry<Integer, Map<String, VarValue>> e : world.allVars().entrySet()) {
            for (Map.Entry<String, VarValue> v : e.getValue().entrySet()) {
                sum += mix(((long) e.getKey() << 32) ^ v.getKey().hashCode() ^ ((long) v.getValue().hashCode() << 16));
            }
        }
        varsVersion = version;
        varsHash = sum;
        return sum;
    }

    private static long states(ScriptRuntime scripts) {
        long sum = 0;
        for (ScriptInstance i : scripts.instances()) {
            long h = mix(((long) i.id() << 1 | (i.enabled() ? 1 : 0)) ^ i.entity() * 0x9E3779B97F4A7C15L);
            MemorySegment state = i.state();
            if (state != null) h = mix(h ^ hash(state));
            sum += h;
        }
        return sum;
    }

    /** A hash of {@code bytes}, eight at a time. */
    static long hash(MemorySegment bytes) {
        long size = bytes.byteSize();
        long h = size;
        long at = 0;
        for (; at + 8 <= size; at += 8) h = mix(h ^ bytes.get(JAVA_LONG_UNALIGNED, at));
        for (; at < size; at++) h = mix(h ^ bytes.get(JAVA_BYTE, at));
        return h;
    }

    static long hash(byte[] bytes) {
        return bytes == null ? 0 : hash(MemorySegment.ofArray(bytes));
    }

    /** SplitMix64's finalizer: every input bit reaches every output bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
