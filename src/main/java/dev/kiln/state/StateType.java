package dev.kiln.state;

import java.util.HexFormat;
import java.util.List;

/**
 * The type of a script's State, or of a part of it, as the SDK describes it
 * (kiln_script_info.state_type): enough to migrate a State by name and type across a hot
 * reload. Sizes and offsets are in bytes; every value is little-endian.
 */
public sealed interface StateType {
    /** Bytes a value of this type takes (arrays: len × element size). */
    int size();

    /** Zig-like text for reports: {@code u8}, {@code ?f32}, {@code [4]i16}, {@code enum Mode}. */
    String describe();

    /** {@code bool}: one byte, 0 or 1. */
    record BoolType() implements StateType {
        public int size() {
            return 1;
        }

        public String describe() {
            return "bool";
        }
    }

    /** An integer of {@code bits} bits stored in {@code size} bytes (two's complement when signed). */
    record IntType(boolean signed, int bits, int size) implements StateType {
        public String describe() {
            return (signed ? "i" : "u") + bits;
        }
    }

    /** An IEEE float of 16, 32 or 64 bits. */
    record FloatType(int bits, int size) implements StateType {
        public String describe() {
            return "f" + bits;
        }
    }

    /** A kiln_entity handle (64 bits). */
    record EntityType() implements StateType {
        public int size() {
            return 8;
        }

        public String describe() {
            return "kiln.Entity";
        }
    }

    /** A struct's field: its name, byte offset in the struct and type. */
    record Field(String name, int offset, StateType type) {}

    /** A struct (State itself is one): fields matched by name on migration. */
    record StructType(String name, int size, List<Field> fields) implements StateType {
        public StructType {
            fields = List.copyOf(fields);
        }

        public String describe() {
            return name.isEmpty() ? "struct" : "struct " + shortName(name);
        }

        /** The field called {@code fieldName}, or null. */
        public Field field(String fieldName) {
            for (Field f : fields) if (f.name().equals(fieldName)) return f;
            return null;
        }
    }

    /** {@code [len]elem}, elements {@code elem.size()} bytes apart. */
    record ArrayType(int len, int size, StateType elem) implements StateType {
        public String describe() {
            return "[" + len + "]" + elem.describe();
        }
    }

    /** An enum tag: its name and integer value. */
    record Tag(String name, long value) {}

    /** An enum stored as its integer tag type; migrated by tag name. */
    record EnumType(String name, int size, boolean exhaustive, IntType tag, List<Tag> tags) implements StateType {
        public EnumType {
            tags = List.copyOf(tags);
        }

        public String describe() {
            return "enum " + shortName(name);
        }

        /** The tag whose value is {@code value}, or null (a non-exhaustive enum's unnamed value). */
        public Tag tagOf(long value) {
            for (Tag t : tags) if (t.value() == value) return t;
            return null;
        }

        /** The tag called {@code tagName}, or null. */
        public Tag tagNamed(String tagName) {
            for (Tag t : tags) if (t.name().equals(tagName)) return t;
            return null;
        }
    }

    /** {@code ?payload}: the payload at offset 0, then byte {@code flag}: 1 = a value is present. */
    /**
     * {@code ?payload}: the payload at offset 0, byte {@code flag} 1 when a value is present.
     * {@code defaultHex}: one payload with its declared defaults (lowercase hex, "" when all
     * zero), where a value migrated into a null default starts.
     */
    record OptionalType(int size, int flag, StateType payload, String defaultHex) implements StateType {
        /** An optional whose payload's defaults are all zero. */
        public OptionalType(int size, int flag, StateType payload) {
            this(size, flag, payload, "");
        }

        public String describe() {
            return "?" + payload.describe();
        }
    }

    /**
     * A reload-safe container (kiln.List, kiln.String, a kiln.Map's entries): in State an 8-byte
     * kiln_handle (id, generation) to {@code elem} elements in engine memory. {@code defaultHex}
     * is one element holding its declared defaults (what a field added to the element gets).
     */
    record ListType(int size, StateType elem, String defaultHex) implements StateType {
        /** sizeof(kiln_handle). */
        public static final int HANDLE_BYTES = 8;

        public String describe() {
            return elem instanceof IntType i && i.bits() == 8 && !i.signed() ? "kiln.String" : "kiln.List(" + elem.describe() + ")";
        }

        /** One element with its declared defaults. */
        public byte[] defaultElement() {
            return HexFormat.of().parseHex(defaultHex);
        }
    }

    /** A type the engine does not look into (union, packed struct, vector): kept only if unchanged. */
    record OpaqueType(String name, int size) implements StateType {
        public String describe() {
            return shortName(name);
        }
    }

    /** {@code keeper.Mode} → {@code Mode}: the file's namespace is noise in a report. */
    private static String shortName(String zigName) {
        int dot = zigName.lastIndexOf('.');
        return dot < 0 ? zigName : zigName.substring(dot + 1);
    }
}
