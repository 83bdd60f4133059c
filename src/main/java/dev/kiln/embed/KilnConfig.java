package dev.kiln.embed;

import dev.kiln.engine.EngineOptions;
import dev.kiln.script.LogSink;
import java.nio.file.Path;

/**
 * How {@link Kiln#create} sets the engine up. Immutable; start from {@link #defaults()} and
 * change what you need:
 *
 * <pre>{@code
 * KilnConfig config = KilnConfig.defaults().withBuildDir(Path.of("build/kiln")).withHotReload(true);
 * }</pre>
 *
 * @param engine        the engine's own options (build dir, grid cell size, quotas, log sink,
 *                      fault guard, script optimize mode): see {@link EngineOptions}
 * @param hotReload     watch the sources of loaded scripts and swap a saved script in at the next
 *                      step (docs/reload.md); off by default, and ignored in a release build
 * @param inspector     start the web inspector on 127.0.0.1 (docs/inspector.md); off by default.
 *                      Needs {@code io.javalin:javalin} on the classpath (an optional dependency
 *                      of kiln-engine: add it to the game's build, see docs/embedding.md)
 * @param inspectorPort the inspector's port; 0: any free port
 */
public record KilnConfig(EngineOptions engine, boolean hotReload, boolean inspector, int inspectorPort) {
    /** Highest TCP port. */
    public static final int PORT_MAX = 65_535;

    /** Checks the values: IllegalArgumentException for null engine options or a port out of range. */
    public KilnConfig {
        if (engine == null) throw new IllegalArgumentException("engine options must not be null");
        if (inspectorPort < 0 || inspectorPort > PORT_MAX) {
            throw new IllegalArgumentException("inspector port " + inspectorPort + " is not in 0.." + PORT_MAX);
        }
    }

    /**
     * Development defaults: scripts built ReleaseSafe under the fault guard into {@code build/}
     * (relative to the working directory), log lines to the console, no hot reload, no inspector.
     */
    public static KilnConfig defaults() {
        return new KilnConfig(EngineOptions.defaults(), false, false, 0);
    }

    /** The same config with the engine's own options replaced (quotas, cell size, fault guard, ...). */
    public KilnConfig withEngine(EngineOptions options) {
        return new KilnConfig(options, hotReload, inspector, inspectorPort);
    }

    /** Where script libraries and Zig's caches go (created when missing). */
    public KilnConfig withBuildDir(Path dir) {
        return withEngine(engine.withBuildDir(dir));
    }

    /** Where script and engine log lines go (called on the stepping thread). */
    public KilnConfig withLog(LogSink sink) {
        return withEngine(engine.withLog(sink));
    }

    /** Hot reload of the loaded scripts' sources on or off (see {@link #hotReload()}). */
    public KilnConfig withHotReload(boolean on) {
        return new KilnConfig(engine, on, inspector, inspectorPort);
    }

    /** The web inspector on or off (see {@link #inspector()}: needs Javalin on the classpath). */
    public KilnConfig withInspector(boolean on) {
        return new KilnConfig(engine, hotReload, on, inspectorPort);
    }

    /** The inspector's TCP port, 0..{@link #PORT_MAX} (0: any free port); else IllegalArgumentException. */
    public KilnConfig withInspectorPort(int port) {
        return new KilnConfig(engine, hotReload, inspector, port);
    }

    /**
     * Whether a development run records itself for rewind and replay once a scene is loaded
     * (docs/rewind.md; on by default): see {@link EngineOptions#withRecording}.
     */
    public KilnConfig withRecording(boolean on) {
        return withEngine(engine.withRecording(on));
    }

    /** A shipped game: scripts built ReleaseFast, no hot reload, no inspector edits, no recording. */
    public KilnConfig release() {
        return new KilnConfig(engine.release(), false, inspector, inspectorPort);
    }
}
