package dev.kiln.inspector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.scene.JsonSyntaxText;

/** Reads an edit's JSON body with messages that say which field is missing or of the wrong type. */
final class JsonBody {
    /** A malformed request: answered 400 with the message, nothing changed. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    private final JsonNode root;

    private JsonBody(JsonNode root) {
        this.root = root;
    }

    static JsonBody parse(ObjectMapper json, String body) {
        if (body == null || body.isBlank()) throw new BadRequest("the request needs a JSON object body");
        try {
            // Duplicate keys are refused as in scene files: JSON would silently keep the last one.
            JsonNode node = json.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body); // and nothing after it
            if (node == null || !node.isObject()) throw new BadRequest("the body must be a JSON object");
            return new JsonBody(node);
        } catch (JsonProcessingException e) {
            throw new BadRequest("the body is not valid JSON: " + JsonSyntaxText.of(e.getOriginalMessage())
                    + where(e));
        }
    }

    /** " (line 1, column 12)" of a syntax error, as the body's author counts. */
    private static String where(JsonProcessingException e) {
        var at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    /** A number in a query parameter ({@code ?after=12}), at least {@code min}; absent is {@code fallback}. */
    static long queryLong(String name, String value, long min, long fallback) {
        if (value == null) return fallback;
        try {
            long v = Long.parseLong(value.strip());
            if (v >= min) return v;
        } catch (NumberFormatException e) {
            // the same answer as below
        }
        throw new BadRequest("query parameter '" + name + "' must be a whole number of at least " + min + ", found '"
                + value + "'");
    }

    /** True when the body names {@code field} (with any value but null). */
    boolean has(String field) {
        JsonNode n = root.get(field);
        return n != null && !n.isNull();
    }

    boolean bool(String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.isBoolean()) throw new BadRequest("'" + field + "' must be true or false");
        return n.booleanValue();
    }

    int integer(String field, Integer fallback) {
        JsonNode n = root.get(field);
        if (n == null && fallback != null) return fallback;
        if (n == null || !n.canConvertToInt() || !n.isIntegralNumber()) {
            throw new BadRequest("'" + field + "' must be a whole number in the 32-bit range");
        }
        return n.intValue();
    }

    String text(String field, boolean required) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            if (required) throw new BadRequest("'" + field + "' is required");
            return null;
        }
        if (n.isTextual()) return n.textValue();
        if (n.isNumber() || n.isBoolean()) return n.asText(); // a State value typed as a number
        throw new BadRequest("'" + field + "' must be a string");
    }

    static long entityId(String path) {
        try {
            return Long.parseLong(path);
        } catch (NumberFormatException e) {
            throw new BadRequest("'" + path + "' is not an entity id (the number in the entity list's 'id')");
        }
    }

    static int instanceId(String path) {
        try {
            return Integer.parseInt(path);
        } catch (NumberFormatException e) {
            throw new BadRequest("'" + path + "' is not a script instance id");
        }
    }
}
