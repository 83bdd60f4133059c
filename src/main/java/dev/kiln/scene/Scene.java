package dev.kiln.scene;

import dev.kiln.ecs.ComponentSchema;
import dev.kiln.ecs.Quat;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.Vec3;
import dev.kiln.engine.EngineOptions;
import dev.kiln.script.Phase;
import dev.kiln.script.ScriptRuntime;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The validated contents of a scene file: everything checked that can be checked without an
 * engine, with prefabs already merged into the entities that use them. Maps keep file order.
 * {@code warnings} are things that load but are probably mistakes (a scale of 0), each located;
 * {@link SceneLoader#load} logs them.
 */
public record Scene(Path file, Settings settings, Map<String, ScriptSource> scripts,
                    Map<String, ComponentSchema> components, Map<String, EntitySpec> prefabs,
                    List<EntitySpec> entities, List<SceneException.Problem> warnings) {

    public Scene {
        warnings = List.copyOf(warnings);
    }

    /** A scene without warnings. */
    public Scene(Path file, Settings settings, Map<String, ScriptSource> scripts,
                 Map<String, ComponentSchema> components, Map<String, EntitySpec> prefabs, List<EntitySpec> entities) {
        this(file, settings, scripts, components, prefabs, entities, List.of());
    }

    /**
     * The scene's "settings". {@code requestQuota} (null: the engine's) is the request quota of
     * the scene's scripts that set none of their own, in bytes per instance and phase;
     * {@code seed} the random seed scripts' ctx.random() mixes (the engine's default when the
     * scene sets none).
     */
    public record Settings(float cellSize, double fixedDt, Long requestQuota, long seed) {
        public static final Settings DEFAULTS = new Settings(4f, 1.0 / 60.0, null,
                ScriptRuntime.DEFAULT_SEED);

        public Settings(float cellSize, double fixedDt) {
            this(cellSize, fixedDt, null, DEFAULTS.seed());
        }

        public Settings(float cellSize, double fixedDt, Long requestQuota) {
            this(cellSize, fixedDt, requestQuota, DEFAULTS.seed());
        }

        /** Engine options for this scene (the spatial grid is sized when the engine is made). */
        public EngineOptions applyTo(EngineOptions options) {
            EngineOptions o = options.withCellSize(cellSize);
            return requestQuota == null ? o : o.withRequestQuotaBytes(requestQuota.intValue());
        }
    }

    /**
     * A script the scene builds. {@code name} is its key in "scripts", which equals the file
     * name without extension; {@code source} is resolved against the scene file's directory.
     * {@code isolated} runs it in a host process of its own (see docs/reliability.md);
     * {@code requestQuota} (null: the scene's or the engine's) is its instances' request quota in
     * bytes per phase; {@code memoryBudget} (null: the engine's) the engine memory each of its
     * instances may hold for kiln.List / String / Map, in bytes.
     */
    public record ScriptSource(String name, Path source, SceneLocation declaredAt, boolean isolated, Long requestQuota,
                               Long memoryBudget) {
        public ScriptSource(String name, Path source, SceneLocation declaredAt, boolean isolated) {
            this(name, source, declaredAt, isolated, null, null);
        }

        public ScriptSource(String name, Path source, SceneLocation declaredAt, boolean isolated, Long requestQuota) {
            this(name, source, declaredAt, isolated, requestQuota, null);
        }
    }

    /** A script to attach; {@code phase} null means the script's own default phase. */
    public record Attachment(String script, int priority, Phase phase) {}

    /**
     * An entity (or a prefab's body, which has no name and an identity transform). Tags,
     * components, vars and scripts of an entity made from a prefab include the prefab's.
     */
    public record EntitySpec(String name, String prefab, Vec3 position, Quat rotation, Vec3 scale,
                             Vec3 velocity, List<String> tags, Map<String, ComponentValue> components,
                             Map<String, VarValue> vars, List<Attachment> scripts,
                             SceneLocation declaredAt) {}
}
