package dev.kiln.engine;

import dev.kiln.abi.CommandBuffer;
import dev.kiln.build.ScriptCompiler;
import dev.kiln.script.LogSink;
import java.nio.file.Path;

/**
 * Engine settings.
 *
 * @param buildDir           where script libraries and Zig caches go
 * @param cellSize           spatial grid cell edge, in world units (about a typical query radius)
 * @param commandBufferBytes bytes of requests scripts may post per phase
 * @param mode               optimize mode of script builds
 * @param log                where script and engine log lines go
 */
public record EngineOptions(Path buildDir, float cellSize, int commandBufferBytes, ScriptCompiler.Mode mode,
                            LogSink log) {
    public static EngineOptions defaults() {
        return new EngineOptions(Path.of("build"), 4f, CommandBuffer.DEFAULT_CAPACITY_BYTES,
                ScriptCompiler.Mode.RELEASE_SAFE, LogSink.console());
    }

    public EngineOptions withBuildDir(Path dir) {
        return new EngineOptions(dir, cellSize, commandBufferBytes, mode, log);
    }

    public EngineOptions withLog(LogSink sink) {
        return new EngineOptions(buildDir, cellSize, commandBufferBytes, mode, sink);
    }

    public EngineOptions withCellSize(float size) {
        return new EngineOptions(buildDir, size, commandBufferBytes, mode, log);
    }

    public EngineOptions withCommandBufferBytes(int bytes) {
        return new EngineOptions(buildDir, cellSize, bytes, mode, log);
    }
}
