package dev.kiln.build;

import java.util.stream.Collectors;

/** A script that did not compile; carries the parsed diagnostics (file:line:col: message). */
public final class ScriptBuildException extends Exception {
    private final transient BuildResult result;

    public ScriptBuildException(BuildResult result) {
        super(describe(result));
        this.result = result;
    }

    public BuildResult result() {
        return result;
    }

    private static String describe(BuildResult r) {
        if (r.errors().isEmpty()) return "build of " + r.source() + " failed:\n" + r.compilerOutput().strip();
        return "build of " + r.source() + " failed:\n"
                + r.errors().stream().map(Diagnostic::toString).collect(Collectors.joining("\n"));
    }
}
