package dev.kiln.rewind;

import dev.kiln.ecs.ComponentStore;
import dev.kiln.ecs.Entities;
import dev.kiln.ecs.EntityLabel;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.World;
import dev.kiln.script.ScriptInstance;
import dev.kiln.script.ScriptRuntime;
import dev.kiln.state.StateType;
import dev.kiln.state.StateValues;
import java.lang.foreign.ValueLayout;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything {@link FrameHasher} hashes, as readable values per entity: what a divergence is
 * reported in. Built only when a replay's hash differs (it allocates per entity), on the frame
 * thread between frames.
 *
 * @param entities per live entity (by index), its fields in a fixed order: "handle", "position",
 *                 "rotation", "scale", "velocity", "tags", "component &lt;name&gt;", "var &lt;key&gt;",
 *                 "state &lt;script&gt;#&lt;id&gt; &lt;field&gt;" (or "… enabled")
 */
public record WorldImage(Map<Integer, Map<String, String>> entities) {

    public static WorldImage of(World world, ScriptRuntime scripts) {
        Map<Integer, Map<String, String>> out = new TreeMap<>();
        for (int i = 0; i < world.highWater(); i++) {
            if (!world.aliveAt(i)) continue;
            long handle = world.handleAt(i);
            Map<String, String> f = new LinkedHashMap<>();
            f.put("handle", EntityLabel.of(world, handle));
            f.put("position", world.position(handle).toString());
            f.put("rotation", world.rotation(handle).toString());
            f.put("scale", world.scale(handle).toString());
            f.put("velocity", world.velocity(handle).toString());
            f.put("tags", new TreeSet<>(world.tagsOf(handle)).toString());
            for (ComponentStore store : world.componentStores()) {
                byte[] bytes = store.get(i);
                if (bytes != null) f.put("component " + store.schema().name(), HexFormat.of().formatHex(bytes));
            }
            Map<String, VarValue> vars = world.vars(handle);
            if (vars != null) for (var v : new TreeMap<>(vars).entrySet()) f.put("var " + v.getKey(), v.getValue().toString());
            out.put(i, f);
        }
        List<ScriptInstance> instances = scripts.instances().stream()
                .sorted(Comparator.comparingInt(ScriptInstance::id)).toList();
        for (ScriptInstance inst : instances) {
            Map<String, String> f = out.get(Entities.index(inst.entity()));
            if (f == null || world.handleAt(Entities.index(inst.entity())) != inst.entity()) continue;
            String prefix = "state " + inst.scriptName() + "#" + inst.id() + " ";
            f.put(prefix + "enabled", Boolean.toString(inst.enabled()));
            putState(f, prefix, inst);
        }
        return new WorldImage(out);
    }

    /** A State by top-level field when the library describes its type, else as hex bytes. */
    private static void putState(Map<String, String> f, String prefix, ScriptInstance inst) {
        if (inst.state() == null) return;
        byte[] bytes = inst.state().toArray(ValueLayout.JAVA_BYTE);
        StateType.StructType type = inst.library().info().stateType();
        if (type != null && type.size() == bytes.length) {
            for (StateType.Field field : type.fields()) {
                f.put(prefix + field.name(), String.valueOf(StateValues.read(field.type(), bytes, field.offset())));
            }
        } else {
            f.put(prefix + "bytes", HexFormat.of().formatHex(bytes));
        }
    }
}
