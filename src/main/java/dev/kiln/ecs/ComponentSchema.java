package dev.kiln.ecs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The POD layout of a user component: fields in declaration order, laid out like a C / Zig
 * {@code extern struct} so that a script's struct with the same fields has the same bytes.
 */
public record ComponentSchema(String name, long typeHash, List<Field> fields, int size) {

    public record Field(String name, FieldType type, int offset) {}

    /** Lays out {@code fields} (name, type) with natural alignment and tail padding. */
    public static ComponentSchema of(String name, List<Field> unplaced) {
        List<Field> placed = new ArrayList<>();
        int offset = 0;
        int maxAlign = 1;
        for (Field f : unplaced) {
            int align = f.type().align();
            offset = (offset + align - 1) / align * align;
            placed.add(new Field(f.name(), f.type(), offset));
            offset += f.type().size();
            maxAlign = Math.max(maxAlign, align);
        }
        int size = (offset + maxAlign - 1) / maxAlign * maxAlign;
        return new ComponentSchema(name, NameHash.of(name), List.copyOf(placed), size);
    }

    public Field field(String fieldName) {
        for (Field f : fields) if (f.name().equals(fieldName)) return f;
        return null;
    }

    public ByteBuffer wrap(byte[] data) {
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }
}
