package dev.kiln.isolate;

import static java.lang.foreign.ValueLayout.ADDRESS;

import dev.kiln.abi.Layouts;
import java.lang.foreign.MemorySegment;

/** Copies a kiln_field_info table and its names into a region (for a migrate hook's old fields). */
final class FieldTableCopy {
    private static final long FIELD = Layouts.FIELD_INFO.byteSize();
    private static final long NAME = Layouts.offset(Layouts.FIELD_INFO, "name");
    private static final int NAME_MAX = 4096;

    private FieldTableCopy() {}

    static MemorySegment copy(MemorySegment table, int count, Region region) {
        if (count == 0 || table.equals(MemorySegment.NULL)) return region.scratch(FIELD, 8);
        MemorySegment copy = region.copyIn(table.reinterpret(count * FIELD), 8);
        for (int i = 0; i < count; i++) {
            MemorySegment name = copy.get(ADDRESS, i * FIELD + NAME);
            if (name.equals(MemorySegment.NULL)) continue;
            String text = name.reinterpret(NAME_MAX).getString(0);
            MemorySegment bytes = region.scratch(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1L, 1);
            bytes.setString(0, text);
            copy.set(ADDRESS, i * FIELD + NAME, bytes);
        }
        return copy;
    }
}
