package dev.kiln.scene;

import dev.kiln.abi.CommandBuffer;
import dev.kiln.build.ScriptCompiler;
import dev.kiln.ecs.ComponentSchema;
import dev.kiln.engine.FrameTime;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and validates a whole scene file (format version {@value #FORMAT_VERSION}). The first
 * problem found stops the parse; nothing here touches an engine.
 */
final class SceneParser {
    static final int FORMAT_VERSION = 1;

    private static final List<String> TOP_KEYS =
            List.of("kiln_scene", "settings", "scripts", "components", "prefabs", "entities");
    private static final List<String> SETTINGS_KEYS = List.of("cell_size", "fixed_dt", "request_quota", "seed");

    private SceneParser() {}

    static Scene parse(Path file) throws SceneException {
        SceneValue root = SceneValue.root(file, JsonTreeReader.read(file));
        // The version first: a newer file's new keys should read as "newer format", not as typos.
        checkVersion(root);
        root.keys(TOP_KEYS);
        Scene.Settings settings = settings(root.get("settings"));
        Map<String, Scene.ScriptSource> scripts = scripts(root.get("scripts"));
        Map<String, ComponentSchema> components = ComponentParser.schemas(root.get("components"));
        SceneValue entitiesValue = root.get("entities");
        List<SceneValue> entityValues = entitiesValue == null ? List.of() : entitiesValue.items();
        EntityParser entities = new EntityParser(scripts, components, EntityNames.of(entityValues));

        Map<String, Scene.EntitySpec> prefabs = new LinkedHashMap<>();
        SceneValue prefabsValue = root.get("prefabs");
        if (prefabsValue != null) {
            for (SceneValue p : prefabsValue.members()) {
                prefabs.put(SceneValue.checkName(p, p.key()), entities.prefab(p));
            }
        }
        List<Scene.EntitySpec> list = new ArrayList<>(entityValues.size());
        for (SceneValue e : entityValues) list.add(entities.entity(e, prefabs));
        return new Scene(file, settings, Collections.unmodifiableMap(scripts),
                Collections.unmodifiableMap(components), Collections.unmodifiableMap(prefabs),
                List.copyOf(list), entities.warnings());
    }

    private static void checkVersion(SceneValue root) throws SceneException {
        SceneValue v = root.require("kiln_scene", "the scene format version; this Kiln reads version "
                + FORMAT_VERSION);
        BigInteger version =
                v.integer(BigInteger.ZERO, BigInteger.valueOf(Integer.MAX_VALUE), "a format version");
        if (version.intValue() != FORMAT_VERSION) {
            throw v.fail("unsupported scene format version " + version + " (this Kiln reads version "
                    + FORMAT_VERSION + ")");
        }
    }

    private static Scene.Settings settings(SceneValue v) throws SceneException {
        Scene.Settings defaults = Scene.Settings.DEFAULTS;
        if (v == null) return defaults;
        v.keys(SETTINGS_KEYS);
        SceneValue cell = v.get("cell_size");
        float cellSize = cell == null ? defaults.cellSize() : cell.f32();
        if (!(cellSize > 0)) throw cell.fail("cell_size must be greater than 0, found " + cellSize);
        SceneValue dt = v.get("fixed_dt");
        double fixedDt = dt == null ? defaults.fixedDt() : dt.number();
        String dtProblem = FrameTime.problem(fixedDt);
        if (dtProblem != null) throw dt.fail("fixed_dt " + dtProblem);
        SceneValue seed = v.get("seed");
        long seedValue = seed == null ? defaults.seed()
                : seed.integer(BigInteger.ZERO, SEED_MAX, "a seed").longValue();
        return new Scene.Settings(cellSize, fixedDt, requestQuota(v.get("request_quota")), seedValue);
    }

    /** The largest seed: any 64-bit pattern (read as unsigned, kept as Java's signed long). */
    private static final BigInteger SEED_MAX = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);

    /** A request quota in bytes (null when absent). */
    private static Long requestQuota(SceneValue v) throws SceneException {
        if (v == null) return null;
        return v.integer(BigInteger.valueOf(CommandBuffer.REQUEST_QUOTA_BYTES_MIN),
                BigInteger.valueOf(CommandBuffer.CAPACITY_BYTES_MAX), "a request quota in bytes").longValueExact();
    }

    private static final List<String> SCRIPT_KEYS = List.of("source", "isolated", "request_quota", "memory_budget");

    /** Largest per-instance memory budget a scene may ask for: 4 GiB, far past any game State. */
    static final long MEMORY_BUDGET_BYTES_MAX = 4L << 30;

    /** A memory budget in bytes (null when absent). */
    private static Long memoryBudget(SceneValue v) throws SceneException {
        if (v == null) return null;
        return v.integer(BigInteger.ZERO, BigInteger.valueOf(MEMORY_BUDGET_BYTES_MAX), "a memory budget in bytes").longValueExact();
    }

    /**
     * {"mover": "scripts/mover.zig"} or {"mover": {"source": "scripts/mover.zig", "isolated":
     * true}}: paths relative to the scene file's directory.
     */
    private static Map<String, Scene.ScriptSource> scripts(SceneValue v) throws SceneException {
        Map<String, Scene.ScriptSource> out = new LinkedHashMap<>();
        if (v == null) return out;
        Path dir = v.file().toAbsolutePath().getParent();
        for (SceneValue s : v.members()) {
            String key = SceneValue.checkName(s, s.key());
            boolean isolated = false;
            Long quota = null;
            Long budget = null;
            SceneValue at = s;
            if (s.node() instanceof JsonNode.Obj) {
                s.keys(SCRIPT_KEYS);
                at = s.require("source", "the script's source file");
                SceneValue iso = s.get("isolated");
                isolated = iso != null && iso.bool();
                quota = requestQuota(s.get("request_quota"));
                budget = memoryBudget(s.get("memory_budget"));
            }
            String written = at.string();
            Path source;
            try {
                source = dir.resolve(written).normalize();
            } catch (InvalidPathException e) {
                throw at.fail("not a valid path: " + e.getReason());
            }
            String file = source.getFileName() == null ? "" : source.getFileName().toString();
            if (!file.endsWith(".zig") && !file.endsWith(".c")) {
                throw at.fail("a script is a .zig or .c file, found '" + written + "'");
            }
            String name = ScriptCompiler.scriptName(source);
            if (!name.equals(key)) {
                throw s.failAtKey("script key '" + key + "' must be the script's name '" + name
                        + "' (its file name without extension)");
            }
            if (!Files.isRegularFile(source)) {
                throw at.fail("script file '" + written + "' not found (looked at " + source + ")");
            }
            out.put(key, new Scene.ScriptSource(key, source, s.location(), isolated, quota, budget));
        }
        return out;
    }
}
