package dev.kiln.rewind;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.kiln.ecs.ComponentStore;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.World;
import dev.kiln.script.ScriptInstance;
import dev.kiln.script.ScriptLibrary;
import dev.kiln.script.ScriptRuntime;
import dev.kiln.state.StateType;
import dev.kiln.state.StateTypeJson;
import dev.kiln.state.StateValues;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A 64-bit hash of everything a frame leaves behind that the next frame can read: every live
 * entity's handle (index and generation), position, rotation, scale and velocity; the tag,
 * component and ScriptVar tables; and every script instance's id, entity, enabled flag and State
 * bytes, with the contents of the containers a State names (kiln.List / String / Map elements).
 * Two runs that agree on it agree on the world and every State (up to hash collisions).
 *
 * <p>Cost at 10k entities × 3 scripts: see docs/performance.md (rewind); the recorder calls it
 * every K-th frame so that it stays within its share of the frame.
 *
 * <p>Tables and instances are folded with a commutative sum, so the order a map happens to
 * iterate in does not matter; the tag, component and var tables are rehashed only when their
 * version changed since the last call (one hasher per engine: versions are per world). Entity
 * names are not hashed (scripts cannot change them). An instance whose State type can hold
 * containers is hashed by value ({@link #valueHash}: fields, then each container's elements
 * field by field): not by raw bytes, since handles change when a keyframe is restored and the
 * padding inside elements holds whatever the heap held before (it differs between runs). That
 * costs an allocation per field for such instances, one reason the recorder hashes every K-th
 * frame. Call on the frame thread between frames.
 */
public final class FrameHasher {
    private long tagsVersion = -1, tagsHash;
    private long varsVersion = -1, varsHash;
    /** The instance table's sum and the {@link ScriptRuntime#instanceTableVersion} it was taken at. */
    private long instancesVersion = -1, instancesHash;
    private ScriptRuntime instancesOf;
    private final HashMap<Long, long[]> componentHashes = new HashMap<>();
    /** Per State type (by identity: a library's type object is made once), whether it can hold containers. */
    private final IdentityHashMap<StateType.StructType, Boolean> holdsContainers = new IdentityHashMap<>();

    /** The hash of {@code world} and {@code scripts}' instances now. */
    public long hash(World world, ScriptRuntime scripts) {
        long h = transforms(world);
        h = mix(h ^ tags(world));
        h = mix(h ^ components(world));
        h = mix(h ^ vars(world));
        return mix(h ^ states(scripts));
    }

    /**
     * Every slot up to the high-water mark, live or not (a dead slot's values are as
     * deterministic as a live one's): four independent multiply-add lanes over the raw arrays,
     * mixed once at the end, since a chain of full mixes per value cost ~50 ns per entity.
     */
    private static long transforms(World world) {
        int high = world.highWater();
        long h = lanes(world.rawPositions(), high * 3, 1);
        h = mix(h ^ lanes(world.rawRotations(), high * 4, 2));
        h = mix(h ^ lanes(world.rawScales(), high * 3, 3));
        h = mix(h ^ lanes(world.rawVelocities(), high * 3, 4));
        long g = 5;
        for (int i = 0; i < high; i++) g = g * M + ((long) world.generationAt(i) << 1 | (world.aliveAt(i) ? 1 : 0));
        return mix(h ^ mix(g));
    }

    /** An odd 64-bit multiplier (the golden ratio's): a bijection per lane step. */
    private static final long M = 0x9E3779B97F4A7C15L;

    private static long lanes(float[] a, int n, long salt) {
        long l0 = salt, l1 = salt + 1, l2 = salt + 2, l3 = salt + 3;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            l0 = l0 * M + Float.floatToRawIntBits(a[i]);
            l1 = l1 * M + Float.floatToRawIntBits(a[i + 1]);
            l2 = l2 * M + Float.floatToRawIntBits(a[i + 2]);
            l3 = l3 * M + Float.floatToRawIntBits(a[i + 3]);
        }
        for (; i < n; i++) l0 = l0 * M + Float.floatToRawIntBits(a[i]);
        return mix(mix(mix(mix(l0) ^ l1) ^ l2) ^ l3 ^ n);
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

    /**
     * Per instance a cheap multiply-add over its id, enabled flag and entity, one mix, summed
     * (read again only when {@link ScriptRuntime#instanceTableVersion} changed: walking 30,000
     * instances cost ~0.6 ms, and most frames attach, detach and disable nothing);
     * the States of a library whose State type holds no containers are hashed in bulk from its
     * slab chunks (every slot, live or free: slots are handed out in a deterministic order, and
     * reading 30k States one segment at a time cost ~1–5 ms a frame); those that can hold
     * containers per instance by value ({@link #valueHash}).
     */
    private long states(ScriptRuntime scripts) {
        long sum = 0;
        Set<ScriptLibrary> byValue = null;
        long salt = 7;
        for (ScriptLibrary library : scripts.libraries()) {
            StateType.StructType type = library.info().stateType();
            if (type != null && holdsContainers.computeIfAbsent(type, StateTypeJson::containsList)) {
                if (byValue == null) byValue = Collections.newSetFromMap(new IdentityHashMap<>());
                byValue.add(library);
                continue;
            }
            // Salted by the name, so two libraries' chunks cannot cancel in the sum.
            long name = library.name().hashCode();
            for (MemorySegment chunk : library.stateChunks()) sum += mix(chunkLanes(chunk, name * M + salt++));
        }
        if (byValue == null) return sum + instanceTable(scripts);
        for (ScriptInstance i : scripts.instances()) {
            long h = instanceHash(i);
            MemorySegment state = i.state();
            if (state != null && byValue.contains(i.library())) {
                StateType.StructType type = i.library().info().stateType();
                h = h * M + valueHash(StateValues.read(type, state.toArray(JAVA_BYTE), 0, scripts.containerReader(i)));
            }
            sum += mix(h);
        }
        return sum;
    }

    /** The sum of every instance's {@link #instanceHash}, read again only when the table changed. */
    private long instanceTable(ScriptRuntime scripts) {
        long version = scripts.instanceTableVersion();
        if (scripts == instancesOf && version == instancesVersion) return instancesHash;
        long sum = 0;
        for (ScriptInstance i : scripts.instances()) sum += mix(instanceHash(i));
        instancesOf = scripts;
        instancesVersion = version;
        instancesHash = sum;
        return sum;
    }

    private static long instanceHash(ScriptInstance i) {
        return ((long) i.id() << 1 | (i.enabled() ? 1 : 0)) * M + i.entity();
    }

    /** A chunk's longs, copied out in one bulk read: reused, grown to the largest chunk seen. */
    private long[] chunkLongs = new long[0];

    /**
     * {@link #lanes} over the longs of native memory (a slab chunk's size is a multiple of 8;
     * any tail bytes are folded in one by one). The chunk is first copied into a heap array in
     * one bulk read: the recorder hashes every K-th frame only, so this code stays cold for
     * long, and a cold loop of MemorySegment reads (interpreted or C1: a VarHandle call per
     * long) cost 5–8 ms a hash at 30,000 States against ~0.1 ms once compiled; a bulk copy and
     * an array loop are fast at every tier.
     */
    private long chunkLanes(MemorySegment m, long salt) {
        long n = m.byteSize();
        int longs = Math.toIntExact(n / 8);
        if (chunkLongs.length < longs) chunkLongs = new long[longs];
        MemorySegment.copy(m, JAVA_LONG_UNALIGNED, 0, chunkLongs, 0, longs);
        long[] a = chunkLongs;
        long l0 = salt, l1 = salt + 1, l2 = salt + 2, l3 = salt + 3;
        int i = 0;
        for (; i + 4 <= longs; i += 4) {
            l0 = l0 * M + a[i];
            l1 = l1 * M + a[i + 1];
            l2 = l2 * M + a[i + 2];
            l3 = l3 * M + a[i + 3];
        }
        for (; i < longs; i++) l0 = l0 * M + a[i];
        for (long at = 8L * longs; at < n; at++) l0 = l0 * M + m.get(JAVA_BYTE, at);
        return mix(mix(mix(mix(l0) ^ l1) ^ l2) ^ l3 ^ n);
    }

    /**
     * A hash of a State value as {@link StateValues#read} gives it: fields and elements by their
     * declared types, so a container's handle bits and the padding inside its elements (bytes the
     * script never wrote, which differ between runs) stay out.
     */
    static long valueHash(Object value) {
        return switch (value) {
            case null -> 1;
            case Map<?, ?> fields -> {
                long h = 2;
                for (Object v : fields.values()) h = mix(h * M + valueHash(v));
                yield h;
            }
            case List<?> elements -> {
                long h = 3 + elements.size();
                for (Object v : elements) h = mix(h * M + valueHash(v));
                yield h;
            }
            case Double d -> Double.doubleToRawLongBits(d);
            case Float f -> Float.floatToRawIntBits(f);
            case Long l -> l;
            case Boolean b -> b ? 5 : 4;
            case byte[] bytes -> hash(bytes);
            default -> value.hashCode(); // BigInteger, an enum's tag name, a stale container's text
        };
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
