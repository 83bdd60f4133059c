package dev.kiln.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the SDK's State type description (kiln_script_info.state_type, JSON; the format is in
 * abi/kiln.h) into a {@link StateType}, checking every size and offset against its parent: the
 * text comes from a script library, so it is untrusted input like the rest of its metadata.
 */
public final class StateTypeJson {
    /** Deeper nesting than this is not a real State (and would cost stack to walk). */
    public static final int NESTING_MAX = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    private StateTypeJson() {}

    /**
     * The State type described by {@code json}, whose root must be a struct of exactly
     * {@code stateSize} bytes. Throws IllegalArgumentException naming the first problem.
     */
    public static StateType.StructType parse(String json, int stateSize) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("state_type is not JSON: " + e.getOriginalMessage());
        }
        StateType type = node(root, "State", 0);
        if (!(type instanceof StateType.StructType struct)) {
            throw new IllegalArgumentException("state_type's root is a " + type.describe() + ", not a struct");
        }
        if (struct.size() != stateSize) {
            throw new IllegalArgumentException("state_type says State has " + struct.size() + " bytes, state_size says "
                    + stateSize);
        }
        return struct;
    }

    private static StateType node(JsonNode n, String path, int depth) {
        if (depth > NESTING_MAX) throw bad(path, "nested deeper than " + NESTING_MAX);
        if (n == null || !n.isObject()) throw bad(path, "is not a JSON object");
        int size = integer(n, "size", path, 0, Integer.MAX_VALUE);
        String kind = text(n, "t", path);
        return switch (kind) {
            case "bool" -> exact(new StateType.BoolType(), size, path);
            case "entity" -> exact(new StateType.EntityType(), size, path);
            case "int" -> integerType(n, size, path);
            case "float" -> {
                int bits = integer(n, "bits", path, 16, 64);
                if (bits != 16 && bits != 32 && bits != 64) throw bad(path, "is a float of " + bits + " bits");
                yield exact(new StateType.FloatType(bits, bits / 8), size, path);
            }
            case "struct" -> structType(n, size, path, depth);
            case "array" -> {
                int len = integer(n, "len", path, 0, Integer.MAX_VALUE);
                StateType elem = node(n.get("elem"), path + "[]", depth + 1);
                if ((long) len * elem.size() != size) {
                    throw bad(path, "has " + len + " elements of " + elem.size() + " bytes in " + size + " bytes");
                }
                yield new StateType.ArrayType(len, size, elem);
            }
            case "enum" -> enumType(n, size, path);
            case "optional" -> {
                int flag = integer(n, "flag", path, 0, size - 1);
                StateType payload = node(n.get("payload"), path + ".?", depth + 1);
                if (payload.size() > flag) throw bad(path, "has its presence byte inside its payload");
                String hex = n.hasNonNull("default") ? text(n, "default", path) : "";
                if (!hex.isEmpty() && (hex.length() != 2L * payload.size() || !hex.matches("[0-9a-fA-F]*"))) {
                    throw bad(path, "has a default payload that is not " + payload.size() + " bytes of hex");
                }
                yield new StateType.OptionalType(size, flag, payload, hex.matches("0*") ? "" : hex.toLowerCase(Locale.ROOT));
            }
            case "list" -> listType(n, size, path, depth);
            case "opaque" -> new StateType.OpaqueType(text(n, "name", path), size);
            default -> throw bad(path, "has an unknown kind \"" + kind + "\"");
        };
    }

    private static StateType.ListType listType(JsonNode n, int size, String path, int depth) {
        if (size != StateType.ListType.HANDLE_BYTES) throw bad(path, "is a container handle of " + size + " bytes, not 8");
        StateType elem = node(n.get("elem"), path + "[]", depth + 1);
        if (elem.size() == 0) throw bad(path, "holds elements of 0 bytes");
        if (containsList(elem)) throw bad(path, "holds containers: nested containers are not supported");
        String hex = n.hasNonNull("default") ? text(n, "default", path) : "00".repeat(elem.size());
        if (hex.length() != 2L * elem.size() || !hex.matches("[0-9a-fA-F]*")) {
            throw bad(path, "has a default element that is not " + elem.size() + " bytes of hex");
        }
        return new StateType.ListType(size, elem, hex.toLowerCase(Locale.ROOT));
    }

    /** True when {@code t} is or holds a container. */
    public static boolean containsList(StateType t) {
        return switch (t) {
            case StateType.ListType ignored -> true;
            case StateType.StructType s -> s.fields().stream().anyMatch(f -> containsList(f.type()));
            case StateType.ArrayType a -> containsList(a.elem());
            case StateType.OptionalType o -> containsList(o.payload());
            default -> false;
        };
    }

    private static StateType.IntType integerType(JsonNode n, int size, String path) {
        int bits = integer(n, "bits", path, 0, 65535);
        if (bits > 8L * size) throw bad(path, "has " + bits + " bits in " + size + " bytes");
        JsonNode signed = n.get("signed");
        if (signed == null || !signed.isBoolean()) throw bad(path, "has no boolean \"signed\"");
        return new StateType.IntType(signed.booleanValue(), bits, size);
    }

    private static StateType.StructType structType(JsonNode n, int size, String path, int depth) {
        JsonNode list = n.get("fields");
        if (list == null || !list.isArray()) throw bad(path, "has no \"fields\" array");
        List<StateType.Field> fields = new ArrayList<>(list.size());
        for (JsonNode f : list) {
            String name = text(f, "name", path);
            String fieldPath = path.equals("State") ? name : path + "." + name;
            int offset = integer(f, "offset", fieldPath, 0, size);
            StateType type = node(f.get("type"), fieldPath, depth + 1);
            if ((long) offset + type.size() > size) {
                throw bad(fieldPath, "ends at byte " + ((long) offset + type.size()) + ", past its struct's " + size);
            }
            fields.add(new StateType.Field(name, offset, type));
        }
        return new StateType.StructType(n.hasNonNull("name") ? n.get("name").asText() : "", size, fields);
    }

    private static StateType.EnumType enumType(JsonNode n, int size, String path) {
        StateType tag = node(n.get("tag"), path + " (tag)", NESTING_MAX);
        if (!(tag instanceof StateType.IntType intTag) || intTag.size() != size || intTag.bits() > 64) {
            throw bad(path, "has a tag type that is not an integer of its size (at most 64 bits)");
        }
        JsonNode list = n.get("tags");
        if (list == null || !list.isArray()) throw bad(path, "has no \"tags\" array");
        List<StateType.Tag> tags = new ArrayList<>(list.size());
        for (JsonNode t : list) {
            JsonNode value = t.get("value");
            if (value == null || !value.canConvertToExactIntegral()) throw bad(path, "has a tag without an integer value");
            tags.add(new StateType.Tag(text(t, "name", path), value.bigIntegerValue().longValue()));
        }
        JsonNode exhaustive = n.get("exhaustive");
        return new StateType.EnumType(n.hasNonNull("name") ? n.get("name").asText() : "", size,
                exhaustive == null || exhaustive.asBoolean(true), intTag, tags);
    }

    private static <T extends StateType> T exact(T type, int size, String path) {
        if (type.size() != size) throw bad(path, "is a " + type.describe() + " of " + size + " bytes");
        return type;
    }

    private static int integer(JsonNode n, String key, String path, int min, int max) {
        JsonNode v = n.get(key);
        if (v == null || !v.canConvertToExactIntegral() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
            throw bad(path, "has no \"" + key + "\" between " + min + " and " + max);
        }
        return v.intValue();
    }

    private static String text(JsonNode n, String key, String path) {
        JsonNode v = n == null ? null : n.get(key);
        if (v == null || !v.isTextual()) throw bad(path, "has no text \"" + key + "\"");
        return v.textValue();
    }

    private static IllegalArgumentException bad(String path, String what) {
        return new IllegalArgumentException("state_type: " + path + " " + what);
    }
}
