package dev.kiln.scene;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON file into a {@link JsonNode} tree with Jackson's streaming parser, keeping each
 * value's line and column. Syntax errors, duplicate keys and content after the root value are
 * reported at their position in the file.
 */
final class JsonTreeReader {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    /**
     * The deepest nesting a scene may have. A real scene's deepest value is 5 levels down
     * (entities[0].components.health.hp); 64 leaves room for any hand-written file while keeping
     * this recursive reader's stack shallow, and it is reported at the value that crosses it
     * (Jackson's own limit, 1000, would name no place and only its internal setting).
     */
    static final int DEPTH_MAX = 64;

    private JsonTreeReader() {}

    static JsonNode read(Path file) throws SceneException {
        String text = readText(file);
        // From a String, Jackson counts columns in characters, as editors do (not in bytes).
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new SceneException(at(file, parser.currentLocation(), ""), "the file is empty");
            }
            JsonNode root = value(file, parser, first, "", 1);
            if (parser.nextToken() != null) {
                throw new SceneException(at(file, parser.currentTokenLocation(), ""),
                        "unexpected content after the end of the top-level value");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation() != null ? e.getLocation() : JsonLocation.NA;
            String message = e.getOriginalMessage();
            int column = Math.max(1, where.getColumnNr() - JsonSyntaxText.columnsBack(message));
            throw new SceneException(new SceneLocation(file, where.getLineNr(), column, ""),
                    "JSON syntax error: " + JsonSyntaxText.of(message));
        } catch (IOException e) {
            throw new SceneException(SceneLocation.wholeFile(file), "cannot read the file: " + e);
        }
    }

    private static String readText(Path file) throws SceneException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new SceneException(SceneLocation.wholeFile(file), "no such file");
        } catch (IOException e) {
            throw new SceneException(SceneLocation.wholeFile(file), "cannot read the file: " + reason(e));
        }
        return Utf8Text.decode(file, bytes);
    }

    /** "permission denied", "is a directory": the exception's words without its class name. */
    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        String m = e.getMessage();
        if (m == null) return e.getClass().getSimpleName();
        int colon = m.lastIndexOf(": ");
        return colon >= 0 ? m.substring(colon + 2) : m;
    }

    private static JsonNode value(Path file, JsonParser p, JsonToken token, String path, int depth)
            throws IOException, SceneException {
        JsonLocation at = p.currentTokenLocation();
        int line = at.getLineNr();
        int column = at.getColumnNr();
        if (depth > DEPTH_MAX && (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY)) {
            throw new SceneException(new SceneLocation(file, line, column, ""), "nested more than " + DEPTH_MAX
                    + " levels deep; a scene needs at most a few levels");
        }
        return switch (token) {
            case START_OBJECT -> object(file, p, line, column, path, depth);
            case START_ARRAY -> array(file, p, line, column, path, depth);
            case VALUE_STRING -> new JsonNode.Str(line, column, p.getText());
            case VALUE_NUMBER_INT -> new JsonNode.Num(line, column, p.getDecimalValue(), true);
            case VALUE_NUMBER_FLOAT -> new JsonNode.Num(line, column, p.getDecimalValue(), false);
            case VALUE_TRUE -> new JsonNode.Bool(line, column, true);
            case VALUE_FALSE -> new JsonNode.Bool(line, column, false);
            case VALUE_NULL -> new JsonNode.Null(line, column);
            default -> throw new SceneException(new SceneLocation(file, line, column, path),
                    "unexpected JSON token " + token);
        };
    }

    private static JsonNode object(Path file, JsonParser p, int line, int column, String path, int depth)
            throws IOException, SceneException {
        Map<String, JsonNode.Member> members = new LinkedHashMap<>();
        for (JsonToken t = next(p); t != JsonToken.END_OBJECT; t = next(p)) {
            String key = p.currentName();
            JsonLocation keyAt = p.currentTokenLocation();
            String keyPath = FieldPath.member(path, key);
            JsonNode.Member earlier = members.get(key);
            if (earlier != null) {
                // Typos and merge leftovers show up as duplicates; JSON would silently keep the last.
                throw new SceneException(at(file, keyAt, keyPath), "duplicate key '" + key
                        + "' (first written at line " + earlier.line() + ")");
            }
            JsonNode v = value(file, p, next(p), keyPath, depth + 1);
            members.put(key, new JsonNode.Member(key, keyAt.getLineNr(), keyAt.getColumnNr(), v));
        }
        return new JsonNode.Obj(line, column, members);
    }

    private static JsonNode array(Path file, JsonParser p, int line, int column, String path, int depth)
            throws IOException, SceneException {
        List<JsonNode> items = new ArrayList<>();
        for (JsonToken t = next(p); t != JsonToken.END_ARRAY; t = next(p)) {
            items.add(value(file, p, t, FieldPath.item(path, items.size()), depth + 1));
        }
        return new JsonNode.Arr(line, column, List.copyOf(items));
    }

    /** Jackson reports a truncated document itself; this only guards the loops against null. */
    private static JsonToken next(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) throw new JsonParseException(p, "unexpected end of the file");
        return t;
    }

    private static SceneLocation at(Path file, JsonLocation where, String path) {
        return new SceneLocation(file, where.getLineNr(), where.getColumnNr(), path);
    }
}
