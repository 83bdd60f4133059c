package dev.kiln.cli;

/**
 * A problem with what the user gave or with their machine (a busy port, a folder that cannot
 * be written), as opposed to a bug: one line saying what, with the value, and what to do.
 * `kiln` prints it without a stack trace and exits with {@link #EXIT_CODE}.
 */
final class UserError extends RuntimeException {
    /** picocli's code for invalid input: user and environment errors share it. */
    static final int EXIT_CODE = 2;

    UserError(String line) {
        super(line);
    }

    UserError(String line, Throwable cause) {
        super(line, cause);
    }
}
