package dev.kiln.cli;

/** A command with a --verbose flag: stack traces of errors are printed only when it is on. */
interface Verbosity {
    boolean verbose();
}
