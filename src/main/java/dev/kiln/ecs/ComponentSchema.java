package dev.kiln.ecs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The POD layout of a user component: fields in declaration order, laid out like a C / Zig
 * {@code extern struct} so that a script's struct with the same fields has the same bytes.
 */
public record ComponentSchema(String name, long typeHash, List<Field> fields, int size, ComponentPolicy policy) {

    /** Fields an add_component's field mask can name (KILN_COMPONENT_MASK_FIELDS: a u32 mask). */
    public static final int MASK_FIELDS = 32;

    public record Field(String name, FieldType type, int offset) {}

    /** Lays out {@code fields} (name, type) with natural alignment and tail padding; policy "replace". */
    public static ComponentSchema of(String name, List<Field> unplaced) {
        return of(name, unplaced, ComponentPolicy.REPLACE);
    }

    /** As {@link #of(String, List)} with the policy for adding it to an entity that has it. */
    public static ComponentSchema of(String name, List<Field> unplaced, ComponentPolicy policy) {
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
        return new ComponentSchema(name, NameHash.of(name), List.copyOf(placed), size, policy);
    }

    /**
     * {@code present} with the fields of {@code mask} (bit i: field i) taken from {@code request}:
     * a merge. Null when the mask names a field the schema does not have.
     */
    public byte[] merge(byte[] present, byte[] request, int mask) {
        if (mask == 0) return request.clone();
        int named = Math.min(fields.size(), MASK_FIELDS);
        if (named < MASK_FIELDS && (mask >>> named) != 0) return null;
        byte[] out = present.clone();
        for (int i = 0; i < named; i++) {
            if ((mask & (1 << i)) == 0) continue;
            Field f = fields.get(i);
            System.arraycopy(request, f.offset(), out, f.offset(), f.type().size());
        }
        return out;
    }

    public Field field(String fieldName) {
        for (Field f : fields) if (f.name().equals(fieldName)) return f;
        return null;
    }

    public ByteBuffer wrap(byte[] data) {
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }
}
