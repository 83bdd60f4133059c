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
        BAD_METADATA,
        /**
         * The State metadata (state_type, field table) belongs to another build of State than
         * the library's code: state_type does not hash to state_type_hash, or the field table
         * disagrees with it. What an incremental compiler that kept old data produces; a fresh
         * build of the same sources is right.
         */
        STALE_METADATA
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
