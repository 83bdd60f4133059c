package dev.kiln.ecs;

import java.util.Locale;

/** Types a user component field may have; sizes and alignment follow C / Zig extern rules. */
public enum FieldType {
    BOOL(1, 1),
    I32(4, 4),
    U32(4, 4),
    I64(8, 8),
    U64(8, 8),
    F32(4, 4),
    F64(8, 8),
    VEC3(12, 4),
    ENTITY(8, 8);

    private final int size;
    private final int align;

    FieldType(int size, int align) {
        this.size = size;
        this.align = align;
    }

    public int size() {
        return size;
    }

    public int align() {
        return align;
    }

    /** Parses the scene-file spelling ("f32", "vec3", ...); null when unknown. */
    public static FieldType parse(String text) {
        for (FieldType t : values()) if (t.name().equalsIgnoreCase(text)) return t;
        return null;
    }

    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }
}
