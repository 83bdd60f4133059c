package dev.kiln.scene;

/**
 * Field paths as problems name them: {@code entities[2].scripts[0].phase}. A key that is not
 * a plain identifier is quoted, {@code scripts["my script"]}, so the path stays unambiguous.
 */
final class FieldPath {
    private FieldPath() {}

    static String member(String parent, String key) {
        boolean plain = !key.isEmpty()
                && key.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-');
        if (plain) {
            return parent.isEmpty() ? key : parent + "." + key;
        }
        String quoted = "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
        return parent + quoted;
    }

    static String item(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
