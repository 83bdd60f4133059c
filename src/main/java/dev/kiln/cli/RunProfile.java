package dev.kiln.cli;

import dev.kiln.build.ScriptCompiler;
import dev.kiln.engine.EngineOptions;

/**
 * How `kiln run` builds scripts: a release run ReleaseFast; a watched run with
 * `--warm-compiler` the development profile (Debug with every safety check, Zig's own backend,
 * one warm incremental compiler per script: a save is running in ≈ 0.12 s, docs/performance.md);
 * any other run ReleaseSafe (a save ≈ 0.6 s). The warm compilers are asked for, not the default:
 * each stays resident with 100–180 MiB of analysis, a cost the user chooses.
 */
final class RunProfile {
    private RunProfile() {}

    static EngineOptions options(EngineOptions defaults, boolean release, boolean watching, boolean warmCompiler) {
        if (release) return defaults.release();
        return watching && warmCompiler ? defaults.withMode(ScriptCompiler.Mode.DEVELOPMENT) : defaults;
    }
}
