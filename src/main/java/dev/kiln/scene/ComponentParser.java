package dev.kiln.scene;

import dev.kiln.ecs.ComponentPolicy;
import dev.kiln.ecs.ComponentSchema;
import dev.kiln.ecs.FieldType;
import dev.kiln.ecs.Vec3;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Component schemas ("components" at the top of a scene) and component values (an entity's or
 * prefab's "components"), encoded into the schema's bytes exactly as a script's extern struct
 * with the same fields lays them out.
 */
final class ComponentParser {
    /** KILN_COMPONENT_MAX_BYTES of kiln.h. */
    static final int COMPONENT_MAX_BYTES = 1024;

    private static final BigInteger U32_MAX = BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE);
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final List<String> FIELD_KEYS = List.of("name", "type");
    private static final List<String> SCHEMA_KEYS = List.of("fields", "policy");
    private static final List<String> POLICY_NAMES =
            Arrays.stream(ComponentPolicy.values()).map(ComponentPolicy::spelling).toList();
    private static final List<String> TYPE_NAMES =
            Arrays.stream(FieldType.values()).map(FieldType::spelling).toList();

    private ComponentParser() {}

    /**
     * {"health": [{"name": "hp", "type": "f32"}, ...], ...}, or with a policy for adding it to an
     * entity that has it: {"health": {"fields": [...], "policy": "merge"}}; absent means none.
     */
    static Map<String, ComponentSchema> schemas(SceneValue components) throws SceneException {
        Map<String, ComponentSchema> out = new LinkedHashMap<>();
        if (components == null) return out;
        for (SceneValue c : components.members()) {
            String name = SceneValue.checkName(c, c.key());
            SceneValue fieldList = c;
            ComponentPolicy policy = ComponentPolicy.REPLACE;
            if (c.node() instanceof JsonNode.Obj) { // the object form, with a policy
                c.keys(SCHEMA_KEYS);
                fieldList = c.require("fields", "the component's fields");
                policy = policy(c.get("policy"));
            }
            List<ComponentSchema.Field> fields = new ArrayList<>();
            for (SceneValue f : fieldList.items()) fields.add(field(f, fields));
            ComponentSchema schema = ComponentSchema.of(name, fields, policy);
            if (schema.size() > COMPONENT_MAX_BYTES) {
                throw c.failAtKey("component '" + name + "' is " + schema.size()
                        + " bytes; components are at most " + COMPONENT_MAX_BYTES + " bytes");
            }
            out.put(name, schema);
        }
        return out;
    }

    private static ComponentPolicy policy(SceneValue v) throws SceneException {
        if (v == null) return ComponentPolicy.REPLACE;
        ComponentPolicy p = ComponentPolicy.parse(v.string());
        if (p == null) throw v.fail("unknown policy '" + v.string() + "' (expected " + Words.oneOf(POLICY_NAMES) + ")");
        return p;
    }

    private static ComponentSchema.Field field(SceneValue f, List<ComponentSchema.Field> earlier)
            throws SceneException {
        f.keys(FIELD_KEYS);
        SceneValue nameValue = f.require("name", "the field's name");
        String name = nameValue.string();
        if (name.isEmpty()) throw nameValue.fail("a field name must not be empty");
        for (ComponentSchema.Field e : earlier) {
            if (e.name().equals(name)) throw nameValue.fail("duplicate field '" + name + "'");
        }
        SceneValue typeValue = f.require("type", "one of " + Words.oneOf(TYPE_NAMES));
        FieldType type = FieldType.parse(typeValue.string());
        if (type == null) {
            throw typeValue.fail("unknown field type '" + typeValue.string() + "' (expected "
                    + Words.oneOf(TYPE_NAMES) + ")");
        }
        return new ComponentSchema.Field(name, type, 0);
    }

    /** {"health": {"hp": 10, "max": 10}}: unknown component or field is an error, a missing field is 0. */
    static Map<String, ComponentValue> values(SceneValue v, Map<String, ComponentSchema> schemas,
                                              EntityNames names) throws SceneException {
        Map<String, ComponentValue> out = new LinkedHashMap<>();
        for (SceneValue c : v.members()) {
            ComponentSchema schema = schemas.get(c.key());
            if (schema == null) {
                throw c.failAtKey("unknown component '" + c.key() + "' (declared components: "
                        + Words.oneOf(schemas.keySet()) + ")");
            }
            out.put(c.key(), encode(c, schema, names));
        }
        return out;
    }

    private static ComponentValue encode(SceneValue value, ComponentSchema schema, EntityNames names)
            throws SceneException {
        byte[] bytes = new byte[schema.size()];
        ByteBuffer b = schema.wrap(bytes);
        List<ComponentValue.EntityRef> refs = new ArrayList<>();
        for (SceneValue f : value.members()) {
            ComponentSchema.Field field = schema.field(f.key());
            if (field == null) {
                List<String> known = schema.fields().stream().map(ComponentSchema.Field::name).toList();
                throw f.failAtKey("unknown field '" + f.key() + "' of component '" + schema.name()
                        + "' (fields: " + Words.oneOf(known) + ")");
            }
            write(b, field, f, names, refs);
        }
        return new ComponentValue(schema, bytes, refs);
    }

    private static void write(ByteBuffer b, ComponentSchema.Field field, SceneValue v, EntityNames names,
                              List<ComponentValue.EntityRef> refs) throws SceneException {
        int at = field.offset();
        switch (field.type()) {
            case BOOL -> b.put(at, (byte) (v.bool() ? 1 : 0));
            case I32 -> b.putInt(at, v.int32("i32"));
            case U32 -> b.putInt(at, v.integer(BigInteger.ZERO, U32_MAX, "u32").intValue());
            case I64 -> b.putLong(at, v.integer(BigInteger.valueOf(Long.MIN_VALUE),
                    BigInteger.valueOf(Long.MAX_VALUE), "i64").longValue());
            case U64 -> b.putLong(at, v.integer(BigInteger.ZERO, U64_MAX, "u64").longValue());
            case F32 -> b.putFloat(at, v.f32());
            case F64 -> b.putDouble(at, v.number());
            case VEC3 -> {
                Vec3 p = v.vec3();
                b.putFloat(at, p.x()).putFloat(at + 4, p.y()).putFloat(at + 8, p.z());
            }
            case ENTITY -> {
                // null: no entity (0). A string names a scene entity, resolved when spawned.
                if (!v.isNull()) refs.add(new ComponentValue.EntityRef(at, names.reference(v)));
            }
        }
    }
}
