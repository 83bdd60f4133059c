package dev.kiln.scene;

import dev.kiln.ecs.ComponentSchema;
import dev.kiln.ecs.Quat;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.Vec3;
import dev.kiln.script.Phase;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Entities and prefab bodies. An entity made from a prefab starts from the prefab's body; its
 * own velocity replaces the prefab's, its tags and scripts are added, and its components and
 * vars replace the prefab's of the same name (a component as a whole) and add the others.
 */
final class EntityParser {
    private static final List<String> PREFAB_KEYS =
            List.of("tags", "velocity", "components", "vars", "scripts");
    private static final List<String> ENTITY_KEYS = List.of("name", "prefab", "position", "rotation", "scale",
            "velocity", "tags", "components", "vars", "scripts");
    private static final List<String> ATTACH_KEYS = List.of("script", "priority", "phase");
    private static final List<String> PHASES = Arrays.stream(Phase.values()).map(Phase::spelling).toList();

    private final Map<String, Scene.ScriptSource> scripts;
    private final Map<String, ComponentSchema> components;
    private final EntityNames names;
    private final List<SceneException.Problem> warnings = new ArrayList<>();

    EntityParser(Map<String, Scene.ScriptSource> scripts, Map<String, ComponentSchema> components,
                 EntityNames names) {
        this.scripts = scripts;
        this.components = components;
        this.names = names;
    }

    /** Located things that load but are probably mistakes. */
    List<SceneException.Problem> warnings() {
        return List.copyOf(warnings);
    }

    /** A prefab's body: no name and no transform (it is given where the prefab is spawned). */
    Scene.EntitySpec prefab(SceneValue v) throws SceneException {
        v.keys(PREFAB_KEYS);
        return body(v, empty(v), null, null, Vec3.ZERO, Quat.IDENTITY, Vec3.ONE);
    }

    Scene.EntitySpec entity(SceneValue v, Map<String, Scene.EntitySpec> prefabs) throws SceneException {
        v.keys(ENTITY_KEYS);
        Scene.EntitySpec base = empty(v);
        String prefab = null;
        SceneValue p = v.get("prefab");
        if (p != null) {
            prefab = p.string();
            base = prefabs.get(prefab);
            if (base == null) {
                throw p.fail("unknown prefab '" + prefab + "' (declared prefabs: "
                        + Words.oneOf(prefabs.keySet()) + ")");
            }
        }
        SceneValue n = v.get("name");
        String name = n == null ? null : n.name();
        Vec3 scale = vec3(v, "scale", Vec3.ONE);
        if (!(scale.x() > 0 && scale.y() > 0 && scale.z() > 0)) {
            // Loads (a script may grow it later), but a flat or mirrored entity is rarely meant.
            warnings.add(new SceneException.Problem(v.get("scale").location(), "scale " + scale.text() + " of "
                    + (name == null ? "this entity" : "entity '" + name + "'") + " is not positive on every axis:"
                    + " the entity is flat or mirrored; write values greater than 0"));
        }
        return body(v, base, name, prefab, vec3(v, "position", Vec3.ZERO), quat(v, "rotation"), scale);
    }

    private static Scene.EntitySpec empty(SceneValue v) {
        return new Scene.EntitySpec(null, null, Vec3.ZERO, Quat.IDENTITY, Vec3.ONE, Vec3.ZERO, List.of(),
                Map.of(), Map.of(), List.of(), v.location());
    }

    private Scene.EntitySpec body(SceneValue v, Scene.EntitySpec base, String name, String prefab,
                                  Vec3 position, Quat rotation, Vec3 scale) throws SceneException {
        Set<String> tags = new LinkedHashSet<>(base.tags());
        SceneValue t = v.get("tags");
        if (t != null) for (SceneValue tag : t.items()) tags.add(tag.name());
        Map<String, ComponentValue> comps = new LinkedHashMap<>(base.components());
        SceneValue c = v.get("components");
        if (c != null) comps.putAll(ComponentParser.values(c, components, names));
        Map<String, VarValue> vars = new LinkedHashMap<>(base.vars());
        SceneValue vs = v.get("vars");
        if (vs != null) {
            for (SceneValue var : vs.members()) vars.put(SceneValue.checkName(var, var.key()), var(var));
        }
        List<Scene.Attachment> attachments = new ArrayList<>(base.scripts());
        SceneValue s = v.get("scripts");
        if (s != null) for (SceneValue a : s.items()) attachments.add(attachment(a));
        Vec3 velocity = vec3(v, "velocity", base.velocity());
        return new Scene.EntitySpec(name, prefab, position, rotation, scale, velocity, List.copyOf(tags),
                Collections.unmodifiableMap(comps), Collections.unmodifiableMap(vars), List.copyOf(attachments),
                v.location());
    }

    /** 3.5 → F64, {"i64": 3} → I64, true → Bool, [x, y, z] → V3. */
    private static VarValue var(SceneValue v) throws SceneException {
        return switch (v.node()) {
            case JsonNode.Num _ -> new VarValue.F64(v.number());
            case JsonNode.Bool b -> new VarValue.Bool(b.value());
            case JsonNode.Arr _ -> new VarValue.V3(v.vec3());
            case JsonNode.Obj _ -> {
                v.keys(List.of("i64"));
                long value = v.require("i64", "the integer value").integer(BigInteger.valueOf(Long.MIN_VALUE),
                        BigInteger.valueOf(Long.MAX_VALUE), "i64").longValue();
                yield new VarValue.I64(value);
            }
            default -> throw v.expected("a number, true, false, [x, y, z] or {\"i64\": n}");
        };
    }

    private Scene.Attachment attachment(SceneValue a) throws SceneException {
        a.keys(ATTACH_KEYS);
        SceneValue s = a.require("script", "the name of a script declared in \"scripts\"");
        String script = s.string();
        if (!scripts.containsKey(script)) {
            throw s.fail("unknown script '" + script + "' (declared scripts: "
                    + Words.oneOf(scripts.keySet()) + ")");
        }
        SceneValue p = a.get("priority");
        int priority = p == null ? 0 : p.int32("a priority");
        SceneValue ph = a.get("phase");
        Phase phase = null;
        if (ph != null) {
            phase = Phase.parse(ph.string());
            if (phase == null) {
                throw ph.fail("unknown phase '" + ph.string() + "' (expected " + Words.oneOf(PHASES) + ")");
            }
        }
        return new Scene.Attachment(script, priority, phase);
    }

    private static Vec3 vec3(SceneValue v, String key, Vec3 absent) throws SceneException {
        SceneValue x = v.get(key);
        return x == null ? absent : x.vec3();
    }

    private static Quat quat(SceneValue v, String key) throws SceneException {
        SceneValue x = v.get(key);
        return x == null ? Quat.IDENTITY : x.quat();
    }
}
