package dev.kiln.cli;

import dev.kiln.build.ScriptCompiler;
import dev.kiln.engine.EngineOptions;

/**
 * How `kiln run` builds scripts: a release run ReleaseFast; a watched run the development
 * profile (Debug with every safety check, Zig's own backend, one warm incremental compiler per
 * script: a save is running in ≈ 0.12 s, docs/performance.md) when asked with `--warm-compiler`
 * (the demo asks); any other run ReleaseSafe (a save ≈ 0.6 s), with no compiler left running
 * between saves — the default, because a resident compiler is memory and a process the user did
 * not ask for. Each warm compiler holds 100–180 MiB while it runs,
 * so it stops after 5 minutes without a build, idle ones stop while all hold over 1 GiB, and
 * all stop with the engine (WarmCompilers).
 */
final class RunProfile {
    private RunProfile() {}

    static EngineOptions options(EngineOptions defaults, boolean release, boolean watching, boolean warmCompiler) {
        if (release) return defaults.release();
        return watching && warmCompiler ? defaults.withMode(ScriptCompiler.Mode.DEVELOPMENT) : defaults;
    }
}
