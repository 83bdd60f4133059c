package dev.kiln.script;

import java.util.AbstractCollection;
import java.util.Arrays;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An int-keyed hash map (open addressing, linear probing, backward-shift deletion): looking up
 * an instance by id or an entity's scripts by index runs for every request and signal, and a
 * {@code HashMap<Integer, V>} boxes every key it is asked for.
 */
final class IntMap<V> {
    private static final int EMPTY = Integer.MIN_VALUE; // never a key: ids and indices are >= 0

    private int[] keys;
    private Object[] values;
    private int size;
    /** 32 − log2(capacity): Fibonacci hashing takes the product's top bits. */
    private int shift;
    /** Changes with every added or removed key: an iteration of {@link #values()} checks it. */
    private int modCount;

    IntMap() {
        keys = new int[16];
        Arrays.fill(keys, EMPTY);
        values = new Object[16];
        shift = 32 - 4;
    }

    /** Fibonacci hashing: dense keys spread out, and keys differing only in high bits do too. */
    private int slot(int key) {
        return (key * 0x9E3779B9) >>> shift;
    }

    @SuppressWarnings("unchecked")
    V get(int key) {
        for (int i = slot(key); ; i = (i + 1) & (keys.length - 1)) {
            int k = keys[i];
            if (k == key) return (V) values[i];
            if (k == EMPTY) return null;
        }
    }

    void put(int key, V value) {
        if (key == EMPTY) throw new IllegalArgumentException("key " + key + " is reserved");
        if ((size + 1) * 4 > keys.length * 3) grow();
        for (int i = slot(key); ; i = (i + 1) & (keys.length - 1)) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
            if (keys[i] == EMPTY) {
                keys[i] = key;
                values[i] = value;
                size++;
                modCount++;
                return;
            }
        }
    }

    void remove(int key) {
        if (key == EMPTY) return; // never stored
        int mask = keys.length - 1;
        int i = slot(key);
        while (keys[i] != key) {
            if (keys[i] == EMPTY) return;
            i = (i + 1) & mask;
        }
        // Backward shift: move later entries of the probe run into the hole, so no tombstones.
        for (int j = (i + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
            int home = slot(keys[j]);
            boolean between = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!between) {
                keys[i] = keys[j];
                values[i] = values[j];
                i = j;
            }
        }
        keys[i] = EMPTY;
        values[i] = null;
        size--;
        modCount++;
    }

    int size() {
        return size;
    }

    /**
     * The values as a live, read-only view, in slot order (no order a caller may rely on):
     * iterating allocates one iterator and boxes nothing. Adding or removing a key during an
     * iteration makes the iterator throw {@link ConcurrentModificationException}, as
     * {@code HashMap}'s views do: a backward-shift removal can move an entry the iterator
     * has not reached behind it.
     */
    Collection<V> values() {
        return valuesView;
    }

    private final Collection<V> valuesView = new AbstractCollection<>() {
        @Override
        public Iterator<V> iterator() {
            return new Iterator<>() {
                private int next = advance(0);
                private final int expectedModCount = modCount;

                private int advance(int from) {
                    while (from < keys.length && keys[from] == EMPTY) from++;
                    return from;
                }

                @Override
                public boolean hasNext() {
                    if (modCount != expectedModCount) throw new ConcurrentModificationException();
                    return next < keys.length;
                }

                @Override
                @SuppressWarnings("unchecked")
                public V next() {
                    if (modCount != expectedModCount) throw new ConcurrentModificationException();
                    if (next >= keys.length) throw new NoSuchElementException();
                    V v = (V) values[next];
                    next = advance(next + 1);
                    return v;
                }
            };
        }

        @Override
        public int size() {
            return size;
        }
    };

    /** Removes every entry (the capacity stays). */
    void clear() {
        Arrays.fill(keys, EMPTY);
        Arrays.fill(values, null);
        size = 0;
        modCount++;
    }

    @SuppressWarnings("unchecked")
    private void grow() {
        int[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new int[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        values = new Object[oldKeys.length * 2];
        shift--;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) put(oldKeys[i], (V) oldValues[i]);
        }
    }
}
