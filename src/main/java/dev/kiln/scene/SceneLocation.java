package dev.kiln.scene;

import java.nio.file.Path;

/**
 * A place in a scene file: line and column (1-based, as an editor counts them) and the field
 * path of the value there, like {@code entities[2].scripts[0].phase} (empty for the document
 * itself, e.g. for a JSON syntax error).
 */
public record SceneLocation(Path file, int line, int column, String field) {

    /** The whole file, for problems that have no better place (it cannot be read at all). */
    public static SceneLocation wholeFile(Path file) {
        return new SceneLocation(file, 0, 0, "");
    }

    /** "file:line:col: field" — the prefix of every problem reported at this place. */
    public String format() {
        String where = line > 0 ? file + ":" + line + ":" + column : file.toString();
        return field.isEmpty() ? where : where + ": " + field;
    }

    @Override
    public String toString() {
        return format();
    }
}
