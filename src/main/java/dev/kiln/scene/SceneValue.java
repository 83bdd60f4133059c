package dev.kiln.scene;

import dev.kiln.ecs.Quat;
import dev.kiln.ecs.Vec3;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON value at a field path of one scene file, with typed reads that fail with a
 * {@link SceneException} naming file, line, column and path. Every check of the scene parsers
 * goes through here, so every problem is located the same way.
 */
final class SceneValue {
    /** Longest name (tag, var key, script, prefab, component): KILN_NAME_MAX_BYTES of kiln.h. */
    static final int NAME_MAX_BYTES = 64;

    private final Path file;
    private final JsonNode node;
    private final String path;
    /** The key this value is stored under, or null for array items and the document root. */
    private final JsonNode.Member member;

    private SceneValue(Path file, JsonNode node, String path, JsonNode.Member member) {
        this.file = file;
        this.node = node;
        this.path = path;
        this.member = member;
    }

    static SceneValue root(Path file, JsonNode node) {
        return new SceneValue(file, node, "", null);
    }

    Path file() {
        return file;
    }

    String path() {
        return path;
    }

    /** The key naming this value in its object (null for array items). */
    String key() {
        return member == null ? null : member.key();
    }

    SceneLocation location() {
        return new SceneLocation(file, node.line(), node.column(), path);
    }

    /** Where the key is written; for array items, where the value is. */
    SceneLocation keyLocation() {
        return member == null ? location() : new SceneLocation(file, member.line(), member.column(), path);
    }

    SceneException fail(String reason) {
        return new SceneException(location(), reason);
    }

    SceneException failAtKey(String reason) {
        return new SceneException(keyLocation(), reason);
    }

    // ---- shape ---------------------------------------------------------------------------------

    boolean isNull() {
        return node instanceof JsonNode.Null;
    }

    JsonNode node() {
        return node;
    }

    /** Checks this is an object with keys from {@code allowed} only; an unknown key is reported at the key. */
    SceneValue keys(List<String> allowed) throws SceneException {
        for (SceneValue m : members()) {
            if (!allowed.contains(m.key())) {
                throw m.failAtKey("unknown key '" + m.key() + "' (expected " + Words.oneOf(allowed) + ")");
            }
        }
        return this;
    }

    /** The object's members in file order. */
    List<SceneValue> members() throws SceneException {
        if (!(node instanceof JsonNode.Obj obj)) throw expected("an object");
        List<SceneValue> out = new ArrayList<>(obj.members().size());
        for (JsonNode.Member m : obj.members().values()) {
            out.add(new SceneValue(file, m.value(), FieldPath.member(path, m.key()), m));
        }
        return out;
    }

    /** The member {@code key} of this object, or null when absent. */
    SceneValue get(String key) throws SceneException {
        if (!(node instanceof JsonNode.Obj obj)) throw expected("an object");
        JsonNode.Member m = obj.members().get(key);
        return m == null ? null : new SceneValue(file, m.value(), FieldPath.member(path, key), m);
    }

    /** The member {@code key}; when absent, a problem located at this object. */
    SceneValue require(String key, String what) throws SceneException {
        SceneValue v = get(key);
        if (v != null) return v;
        SceneLocation here = new SceneLocation(file, node.line(), node.column(), FieldPath.member(path, key));
        throw new SceneException(here, "missing required key '" + key + "' (" + what + ")");
    }

    List<SceneValue> items() throws SceneException {
        if (!(node instanceof JsonNode.Arr arr)) throw expected("an array");
        List<SceneValue> out = new ArrayList<>(arr.items().size());
        for (int i = 0; i < arr.items().size(); i++) {
            out.add(new SceneValue(file, arr.items().get(i), FieldPath.item(path, i), null));
        }
        return out;
    }

    // ---- scalars -------------------------------------------------------------------------------

    String string() throws SceneException {
        if (node instanceof JsonNode.Str s) return s.value();
        throw expected("a string");
    }

    /** A name scripts can use: non-empty and at most {@link #NAME_MAX_BYTES} bytes of UTF-8. */
    String name() throws SceneException {
        return checkName(this, string());
    }

    /** Checks a name written as this value or as this value's key. */
    static String checkName(SceneValue at, String name) throws SceneException {
        if (name.isEmpty()) throw at.fail("a name must not be empty");
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > NAME_MAX_BYTES) {
            throw at.fail("name '" + name + "' is " + bytes + " bytes long; names are at most "
                    + NAME_MAX_BYTES + " bytes");
        }
        return name;
    }

    boolean bool() throws SceneException {
        if (node instanceof JsonNode.Bool b) return b.value();
        throw expected("true or false");
    }

    /** A number that is finite as a double. */
    double number() throws SceneException {
        if (!(node instanceof JsonNode.Num n)) throw expected("a number");
        double d = n.value().doubleValue();
        if (!Double.isFinite(d)) throw fail("number " + n.value() + " is too large");
        return d;
    }

    /** A number that stays finite as a 32-bit float (positions, component f32 fields). */
    float f32() throws SceneException {
        double d = number();
        if (!Float.isFinite((float) d)) throw fail("number " + d + " is too large for a 32-bit float");
        return (float) d;
    }

    /** An integer written without fraction or exponent, within [min, max]. */
    BigInteger integer(BigInteger min, BigInteger max, String typeName) throws SceneException {
        if (!(node instanceof JsonNode.Num n)) throw expected("an integer");
        if (!n.integral()) throw fail("expected an integer, found " + n.value());
        BigInteger v = n.value().toBigIntegerExact();
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            throw fail(v + " is out of range for " + typeName + " (" + min + " to " + max + ")");
        }
        return v;
    }

    int int32(String typeName) throws SceneException {
        return integer(BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE), typeName)
                .intValueExact();
    }

    // ---- vectors -------------------------------------------------------------------------------

    Vec3 vec3() throws SceneException {
        float[] v = floats(3, "[x, y, z]");
        return new Vec3(v[0], v[1], v[2]);
    }

    /** A rotation quaternion [x, y, z, w]; normalized, so it must not be all zeros. */
    Quat quat() throws SceneException {
        float[] v = floats(4, "[x, y, z, w]");
        Quat q = new Quat(v[0], v[1], v[2], v[3]);
        double length = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2] + v[3] * v[3]);
        if (!(length > 1e-6)) {
            throw fail("a rotation quaternion must not be all zeros (identity is [0, 0, 0, 1])");
        }
        return q.normalized();
    }

    private float[] floats(int arity, String shape) throws SceneException {
        if (!(node instanceof JsonNode.Arr)) throw expected(arity + " numbers " + shape);
        List<SceneValue> items = items();
        if (items.size() != arity) {
            throw fail("expected " + arity + " numbers " + shape + ", found " + items.size());
        }
        float[] out = new float[arity];
        for (int i = 0; i < arity; i++) out[i] = items.get(i).f32();
        return out;
    }

    SceneException expected(String what) {
        return fail("expected " + what + ", found " + node.kindName());
    }
}
