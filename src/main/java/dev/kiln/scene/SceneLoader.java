package dev.kiln.scene;

import dev.kiln.build.ScriptCompiler;
import dev.kiln.ecs.ComponentSchema;
import dev.kiln.ecs.ComponentStore;
import dev.kiln.ecs.Entities;
import dev.kiln.ecs.World;
import dev.kiln.engine.Engine;
import dev.kiln.rewind.Recorder;
import dev.kiln.script.LogEntry;
import dev.kiln.script.ScriptLibrary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenes from JSON files. {@link #parse} validates a file without an engine; {@link #load}
 * puts it into one, all or nothing: when any step fails, the engine is left as it was (no
 * entities spawned, no libraries loaded). Typical use:
 *
 * <pre>{@code
 * Scene scene = SceneLoader.parse(file);
 * Engine engine = new Engine(scene.settings().applyTo(EngineOptions.defaults()));
 * LoadedScene loaded = SceneLoader.load(engine, scene);
 * }</pre>
 */
public final class SceneLoader {
    private SceneLoader() {}

    /** Reads and validates a scene file; the first problem is reported with file:line:col and field path. */
    public static Scene parse(Path file) throws SceneException {
        return SceneParser.parse(file);
    }

    /** The scene's settings, to create the engine with (see {@link Scene.Settings#applyTo}). */
    public static Scene.Settings readSettings(Path file) throws SceneException {
        return parse(file).settings();
    }

    public static LoadedScene load(Engine engine, Path file) throws SceneException {
        return load(engine, parse(file));
    }

    /**
     * Builds every script (reporting all build failures), loads them, registers the components,
     * installs the prefab catalog, spawns the entities, attaches their scripts and runs the inits.
     */
    public static LoadedScene load(Engine engine, Scene scene) throws SceneException {
        return load(engine, scene, Map.of());
    }

    /**
     * As {@link #load(Engine, Scene)}, but the scripts named in {@code libraries} load those
     * library files instead of being built (a replay of a recording: the versions it ran). A
     * development engine's recorder starts recording here when the engine is at frame 0.
     */
    public static LoadedScene load(Engine engine, Scene scene, Map<String, Path> prebuilt) throws SceneException {
        // The scene's entities are the recording's start, not writes a replay makes again.
        try (Recorder.EngineWrites engineWrites = Recorder.engineWrites(engine.recorder())) {
            return loadUnrecorded(engine, scene, prebuilt);
        }
    }

    private static LoadedScene loadUnrecorded(Engine engine, Scene scene, Map<String, Path> prebuilt) throws SceneException {
        World world = engine.world();
        checkComponentsFit(world, scene);
        engine.scripts().setSeed(scene.settings().seed());
        List<ScriptLibrary> libraries = scene.scripts().isEmpty() ? List.of()
                : SceneScripts.buildAndLoad(compiler(engine, scene), engine.scripts(), scene, prebuilt);
        List<Long> handles;
        try {
            handles = spawnAll(world, scene);
        } catch (SceneException e) {
            SceneScripts.unloadAll(engine.scripts(), libraries);
            throw e;
        }
        for (ComponentSchema schema : scene.components().values()) world.registerComponent(schema);
        Map<String, Long> byName = new HashMap<>();
        for (int i = 0; i < handles.size(); i++) {
            String name = scene.entities().get(i).name();
            if (name != null) byName.putIfAbsent(name, handles.get(i));
        }
        EntitySpawner spawner = new EntitySpawner(world, engine.scripts());
        for (int i = 0; i < handles.size(); i++) {
            spawner.fill(handles.get(i), scene.entities().get(i), n -> byName.getOrDefault(n, Entities.NULL));
        }
        for (int i = 0; i < handles.size(); i++) {
            spawner.attachScripts(handles.get(i), scene.entities().get(i));
        }
        ScenePrefabs prefabs = new ScenePrefabs(scene.prefabs(), spawner, world);
        engine.scripts().setPrefabs(prefabs);
        warnOnCellSize(engine, scene);
        for (SceneException.Problem w : scene.warnings()) {
            engine.scripts().logEngine(LogEntry.Level.WARN, w.format());
        }
        engine.scripts().flushLifecycle();
        if (engine.recorder() != null) engine.recorder().sceneLoaded(scene.file(), scene.settings().seed());
        return new LoadedScene(scene, handles, libraries, prefabs);
    }

    /** A component already registered (by an earlier scene) must have the same layout. */
    private static void checkComponentsFit(World world, Scene scene) throws SceneException {
        for (ComponentSchema schema : scene.components().values()) {
            ComponentStore existing = world.componentStore(schema.typeHash());
            if (existing != null && !existing.schema().equals(schema)) {
                throw new SceneException(new SceneLocation(scene.file(), 0, 0, "components." + schema.name()),
                        "the engine already has a component '" + existing.schema().name()
                                + "' with a different layout: " + existing.schema().fields()
                                + (existing.schema().fields().equals(schema.fields())
                                        ? " (the same fields, policy " + existing.schema().policy().spelling() + ")" : ""));
            }
        }
    }

    private static ScriptCompiler compiler(Engine engine, Scene scene) throws SceneException {
        try {
            return engine.compiler();
        } catch (IllegalStateException e) {
            // No Zig or no Kiln home: nothing can be built, and nothing was loaded yet.
            Scene.ScriptSource first = scene.scripts().values().iterator().next();
            throw new SceneException(first.declaredAt(), "cannot build scripts: " + e.getMessage());
        }
    }

    /** Spawns every entity with its transform and name; on failure despawns them again. */
    private static List<Long> spawnAll(World world, Scene scene) throws SceneException {
        List<Long> handles = new ArrayList<>(scene.entities().size());
        for (Scene.EntitySpec spec : scene.entities()) {
            long e = world.spawn(spec.position(), spec.rotation(), spec.scale());
            if (e == Entities.NULL) {
                for (long h : handles) world.despawn(h);
                throw new SceneException(spec.declaredAt(), "cannot spawn: the world already holds its"
                        + " maximum of " + World.ENTITIES_MAX + " entities");
            }
            if (spec.name() != null) world.setName(e, spec.name());
            handles.add(e);
        }
        return handles;
    }

    private static void warnOnCellSize(Engine engine, Scene scene) {
        float wanted = scene.settings().cellSize();
        if (engine.options().cellSize() != wanted) {
            engine.scripts().logEngine(LogEntry.Level.WARN, scene.file() + " asks for cell_size " + wanted
                    + " but the engine's grid uses " + engine.options().cellSize()
                    + "; create the engine with scene.settings().applyTo(options)");
        }
    }
}
