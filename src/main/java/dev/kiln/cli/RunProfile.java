package dev.kiln.cli;

import dev.kiln.build.ScriptCompiler;
import dev.kiln.engine.EngineOptions;

/**
 * How `kiln run` builds scripts: a release run ReleaseFast; a watched run the development
 * profile (Debug with every safety check, Zig's own backend, one warm incremental compiler per
 * script: a save is running in ≈ 0.1 s, docs/performance.md); a run that does not watch
 * ReleaseSafe, whose code runs about twice as fast as Debug and never reloads.
 */
final class RunProfile {
    private RunProfile() {}

    static EngineOptions options(EngineOptions defaults, boolean release, boolean watching) {
        if (release) return defaults.release();
        return watching ? defaults.withMode(ScriptCompiler.Mode.DEVELOPMENT) : defaults;
    }
}
