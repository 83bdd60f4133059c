package dev.kiln.scene;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A parsed JSON value that remembers where it starts in the file (1-based line and column),
 * so that any later check can point at the exact spot. Objects keep their keys in file order,
 * each with the key's own position (an unknown key is reported where the key is written).
 */
sealed interface JsonNode {
    int line();

    int column();

    /** How a problem names what it found: "a string", "an array", ... */
    String kindName();

    record Obj(int line, int column, Map<String, Member> members) implements JsonNode {
        public String kindName() {
            return "an object";
        }
    }

    record Arr(int line, int column, List<JsonNode> items) implements JsonNode {
        public String kindName() {
            return "an array";
        }
    }

    record Str(int line, int column, String value) implements JsonNode {
        public String kindName() {
            return "a string";
        }
    }

    /** A number exactly as written; {@code integral} when it was written without '.' or exponent. */
    record Num(int line, int column, BigDecimal value, boolean integral) implements JsonNode {
        public String kindName() {
            return "a number";
        }
    }

    record Bool(int line, int column, boolean value) implements JsonNode {
        public String kindName() {
            return value ? "true" : "false";
        }
    }

    record Null(int line, int column) implements JsonNode {
        public String kindName() {
            return "null";
        }
    }

    /** One key of an object: the key's position and its value. */
    record Member(String key, int line, int column, JsonNode value) {}
}
