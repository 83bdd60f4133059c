package dev.kiln.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * How `kiln` reports what went wrong: one line on stderr, prefixed with the command
 * ({@code kiln run: ...}). Bad options and arguments (picocli's parse errors and our range
 * checks) and {@link UserError}s exit with 2, anything else with 1; a Java stack trace is printed
 * only with --verbose, for whoever debugs Kiln itself.
 */
final class ErrorReporter implements CommandLine.IParameterExceptionHandler,
        CommandLine.IExecutionExceptionHandler {
    /** An unexpected exception: a bug in Kiln rather than in the input. */
    static final int INTERNAL_ERROR_EXIT_CODE = 1;

    static CommandLine install(CommandLine cli) {
        ErrorReporter reporter = new ErrorReporter();
        cli.setParameterExceptionHandler(reporter);
        cli.setExecutionExceptionHandler(reporter);
        return cli;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        System.err.println(prefix(cmd) + firstLine(e.getMessage()) + " (" + cmd.getCommandSpec().qualifiedName()
                + " --help lists the options)");
        if (verbose(cmd)) e.printStackTrace();
        return UserError.EXIT_CODE;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        boolean user = e instanceof UserError || e instanceof UncheckedIOException || e instanceof IOException;
        String line = user ? firstLine(e.getMessage())
                : "internal error: " + firstLine(String.valueOf(e)) + (verbose(cmd) ? ""
                        : " (--verbose prints the stack trace; please report it)");
        System.err.println(prefix(cmd) + line);
        if (verbose(cmd)) e.printStackTrace();
        return user ? UserError.EXIT_CODE : INTERNAL_ERROR_EXIT_CODE;
    }

    private static String prefix(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName() + ": ";
    }

    private static boolean verbose(CommandLine cmd) {
        return cmd.getCommand() instanceof Verbosity v && v.verbose();
    }

    /** Messages of other libraries may span lines; the report is one. */
    private static String firstLine(String message) {
        if (message == null) return "(no message)";
        String stripped = message.strip();
        int nl = stripped.indexOf('\n');
        return nl < 0 ? stripped : stripped.substring(0, nl).strip();
    }
}
