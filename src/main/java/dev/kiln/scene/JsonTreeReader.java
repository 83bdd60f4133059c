package dev.kiln.scene;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
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

    private JsonTreeReader() {}

    static JsonNode read(Path file) throws SceneException {
        String text = readText(file);
        // From a String, Jackson counts columns in characters, as editors do (not in bytes).
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new SceneException(at(file, parser.currentLocation(), ""), "the file is empty");
            }
            JsonNode root = value(file, parser, first, "");
            if (parser.nextToken() != null) {
                throw new SceneException(at(file, parser.currentTokenLocation(), ""),
                        "unexpected content after the end of the top-level value");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation() != null ? e.getLocation() : JsonLocation.NA;
            throw new SceneException(at(file, where, ""), "JSON syntax error: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new SceneException(SceneLocation.wholeFile(file), "cannot read the file: " + e);
        }
    }

    private static String readText(Path file) throws SceneException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new SceneException(SceneLocation.wholeFile(file), "no such file");
        } catch (CharacterCodingException e) {
            throw new SceneException(SceneLocation.wholeFile(file), "not UTF-8 text");
        } catch (IOException e) {
            throw new SceneException(SceneLocation.wholeFile(file), "cannot read the file: " + e);
        }
    }

    private static JsonNode value(Path file, JsonParser p, JsonToken token, String path)
            throws IOException, SceneException {
        JsonLocation at = p.currentTokenLocation();
        int line = at.getLineNr();
        int column = at.getColumnNr();
        return switch (token) {
            case START_OBJECT -> object(file, p, line, column, path);
            case START_ARRAY -> array(file, p, line, column, path);
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

    private static JsonNode object(Path file, JsonParser p, int line, int column, String path)
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
            JsonNode v = value(file, p, next(p), keyPath);
            members.put(key, new JsonNode.Member(key, keyAt.getLineNr(), keyAt.getColumnNr(), v));
        }
        return new JsonNode.Obj(line, column, members);
    }

    private static JsonNode array(Path file, JsonParser p, int line, int column, String path)
            throws IOException, SceneException {
        List<JsonNode> items = new ArrayList<>();
        for (JsonToken t = next(p); t != JsonToken.END_ARRAY; t = next(p)) {
            items.add(value(file, p, t, FieldPath.item(path, items.size())));
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
