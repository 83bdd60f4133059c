package dev.kiln.inspector;

/**
 * The outcome of one edit, as a value: HTTP status and a message for the person who asked
 * (200 with what was done, 400 with what was wrong and that nothing changed, 404, 409).
 */
public record EditResult(int status, String message) {
    public static EditResult ok(String message) {
        return new EditResult(200, message);
    }

    public static EditResult bad(String message) {
        return new EditResult(400, message);
    }

    public static EditResult notFound(String message) {
        return new EditResult(404, message);
    }

    public static EditResult conflict(String message) {
        return new EditResult(409, message);
    }

    public boolean ok() {
        return status == 200;
    }
}
