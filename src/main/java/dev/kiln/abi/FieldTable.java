package dev.kiln.abi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a kiln_field_info table (a migrate hook's old fields) from the field list checked
 * when the old version was loaded — never from the old version's own native table, which its
 * code (or an isolated host) could have rewritten since.
 */
public final class FieldTable {
    private static final long FIELD = Layouts.FIELD_INFO.byteSize();

    private FieldTable() {}

    public static MemorySegment write(List<ScriptInfo.StateField> fields, SegmentAllocator allocator) {
        MemorySegment table = allocator.allocate(Math.max(1, fields.size()) * FIELD, 8);
        for (int i = 0; i < fields.size(); i++) {
            ScriptInfo.StateField f = fields.get(i);
            byte[] name = f.name().getBytes(StandardCharsets.UTF_8);
            MemorySegment text = allocator.allocate(name.length + 1L, 1);
            text.copyFrom(MemorySegment.ofArray(name));
            text.set(JAVA_BYTE, name.length, (byte) 0);
            long at = i * FIELD;
            table.set(ADDRESS, at + Layouts.offset(Layouts.FIELD_INFO, "name"), text);
            table.set(JAVA_INT, at + Layouts.offset(Layouts.FIELD_INFO, "type"), f.type());
            table.set(JAVA_INT, at + Layouts.offset(Layouts.FIELD_INFO, "offset"), f.offset());
            table.set(JAVA_INT, at + Layouts.offset(Layouts.FIELD_INFO, "size"), f.size());
        }
        return table;
    }
}
