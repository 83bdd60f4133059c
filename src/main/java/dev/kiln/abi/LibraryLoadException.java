package dev.kiln.abi;

import java.nio.file.Path;

/** A script library the engine refused to load; nothing of it stays loaded. */
public final class LibraryLoadException extends Exception {
    /** Why a library was refused. */
    public enum Reason {
        NOT_FOUND,
        NOT_LOADABLE,
        MISSING_EXPORTS,
        ABI_MISMATCH,
        BAD_METADATA
    }

    private final Reason reason;
    private final Path path;

    public LibraryLoadException(Reason reason, Path path, String message) {
        super(path + ": " + message);
        this.reason = reason;
        this.path = path;
    }

    public Reason reason() {
        return reason;
    }

    public Path path() {
        return path;
    }

    /** The library lacks exports every script must have. */
    public static LibraryLoadException missingExports(Path path, java.util.List<String> missing) {
        return new LibraryLoadException(Reason.MISSING_EXPORTS, path, "missing required export(s) "
                + String.join(", ", missing)
                + " (a Zig script gets them from the Kiln SDK build; a C script must define them)");
    }
}
