package dev.kiln.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The `kiln` command line: run scenes, scaffold script projects, replay recordings. */
@Command(name = "kiln", mixinStandardHelpOptions = true, version = "kiln 0.1.0",
        description = "Java game-engine runtime with native scripts written in Zig.",
        subcommands = {RunCommand.class, NewCommand.class, ReplayCommand.class})
public final class KilnCli {
    KilnCli() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (tests run subcommands through it without exiting). */
    static CommandLine commandLine() {
        return ErrorReporter.install(new CommandLine(new KilnCli()));
    }
}
