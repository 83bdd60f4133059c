package dev.kiln.cli;

import picocli.CommandLine.Option;

/** The --verbose option every `kiln` command takes (picocli reads options of superclasses too). */
abstract class VerboseCommand implements Verbosity {
    @Option(names = "--verbose", description = "On an error, also print the Java stack trace (for debugging Kiln itself).")
    boolean verbose;

    @Override
    public boolean verbose() {
        return verbose;
    }
}
