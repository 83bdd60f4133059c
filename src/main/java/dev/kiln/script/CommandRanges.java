package dev.kiln.script;

import java.util.Arrays;

/** Byte ranges of the command buffer in the order they must be applied, each with the instance that wrote it. */
final class CommandRanges {
    private int[] offsets = new int[256];
    private int[] lengths = new int[256];
    private int[] owners = new int[256];
    private int count;

    void add(int offset, int length, int owner) {
        if (length == 0) return;
        if (count == offsets.length) {
            offsets = Arrays.copyOf(offsets, count * 2);
            lengths = Arrays.copyOf(lengths, count * 2);
            owners = Arrays.copyOf(owners, count * 2);
        }
        offsets[count] = offset;
        lengths[count] = length;
        owners[count] = owner;
        count++;
    }

    int owner(int i) {
        return owners[i];
    }

    int count() {
        return count;
    }

    int offset(int i) {
        return offsets[i];
    }

    int length(int i) {
        return lengths[i];
    }

    void clear() {
        count = 0;
    }
}
