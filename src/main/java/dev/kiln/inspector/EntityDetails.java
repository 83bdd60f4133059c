package dev.kiln.inspector;

import dev.kiln.abi.ScriptInfo;
import dev.kiln.ecs.ComponentSchema;
import dev.kiln.ecs.ComponentStore;
import dev.kiln.ecs.Entities;
import dev.kiln.ecs.EntityLabel;
import dev.kiln.ecs.FieldType;
import dev.kiln.ecs.Quat;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.Vec3;
import dev.kiln.ecs.World;
import dev.kiln.engine.Engine;
import dev.kiln.loader.NativeHeap;
import dev.kiln.script.ScriptInstance;
import dev.kiln.script.StateFields;
import dev.kiln.state.StateType;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One entity's full view: transform, components by schema, ScriptVars, scripts with State. Frame thread. */
final class EntityDetails {
    private EntityDetails() {}

    static Snapshot.EntityDetail of(Engine engine, long h) {
        World w = engine.world();
        List<Snapshot.InstanceView> scripts = new ArrayList<>();
        for (ScriptInstance i : engine.scripts().scriptsOn(h)) scripts.add(instance(engine, i));
        return new Snapshot.EntityDetail(h, Entities.format(h), w.name(h), List.copyOf(w.tagsOf(h)),
                v3(w.position(h)), q(w.rotation(h)), v3(w.scale(h)), v3(w.velocity(h)), components(w, h),
                vars(w, h), scripts);
    }

    private static Snapshot.InstanceView instance(Engine engine, ScriptInstance i) {
        List<Snapshot.FieldView> state = new ArrayList<>();
        if (i.state() != null) {
            Map<String, Object> values = StateFields.readAll(i);
            Map<String, String> containers = containerFields(i.library().info().stateType());
            for (ScriptInfo.StateField f : i.library().info().stateFields()) {
                String container = containers.get(f.name());
                // A container's handle means nothing to a reader: its type, with the contents under Memory.
                state.add(container != null ? new Snapshot.FieldView(f.name(), "container", container, container)
                        : field(f.name(), f.typeName(), values.get(f.name())));
            }
        }
        return new Snapshot.InstanceView(i.id(), i.scriptName(), i.phase().name().toLowerCase(Locale.ROOT),
                i.priority(), i.enabled(), i.lifecycle().name().toLowerCase(Locale.ROOT), i.fault(), state, memory(engine, i));
    }

    /** Top-level State fields that are containers (kiln.List / String / Map) → their declared type. */
    private static Map<String, String> containerFields(StateType.StructType type) {
        Map<String, String> out = new LinkedHashMap<>();
        for (StateType.Field f : type.fields()) {
            if (f.type() instanceof StateType.ListType l) out.put(f.name(), l.describe());
            else if (f.type() instanceof StateType.StructType s && ContainerViews.isMap(s)) out.put(f.name(), "kiln.Map");
        }
        return out;
    }

    /** The instance's memory used and budget, and each container field of its State with its contents. */
    private static Snapshot.MemoryView memory(Engine engine, ScriptInstance i) {
        NativeHeap.Usage usage = engine.scripts().memoryOf(i);
        List<Snapshot.ContainerView> containers = i.state() == null ? List.of()
                : ContainerViews.of(i.library().info().stateType(), i.state().toArray(ValueLayout.JAVA_BYTE),
                        engine.scripts().containerMemory(i));
        return new Snapshot.MemoryView(usage.usedBytes(), usage.budgetBytes(), containers);
    }

    /** A typed value as JSON plus the text the edit endpoint parses back. */
    static Snapshot.FieldView field(String name, String type, Object value) {
        return switch (value) {
            case Vec3 v -> new Snapshot.FieldView(name, type, v3(v), v.x() + ", " + v.y() + ", " + v.z());
            case Quat v -> new Snapshot.FieldView(name, type, q(v), v.x() + ", " + v.y() + ", " + v.z() + ", " + v.w());
            case byte[] b -> new Snapshot.FieldView(name, type, HexFormat.of().formatHex(b), HexFormat.of().formatHex(b));
            case Long l when type.equals("entity") -> new Snapshot.FieldView(name, type, Entities.format(l), Entities.format(l));
            case Long l when type.equals("u64") -> new Snapshot.FieldView(name, type, Long.toUnsignedString(l), Long.toUnsignedString(l));
            default -> new Snapshot.FieldView(name, type, value, String.valueOf(value));
        };
    }

    private static List<Snapshot.ComponentView> components(World w, long h) {
        List<Snapshot.ComponentView> out = new ArrayList<>();
        int index = Entities.index(h);
        for (ComponentStore store : w.componentStores()) {
            byte[] data = store.get(index);
            if (data == null) continue;
            ComponentSchema schema = store.schema();
            ByteBuffer b = schema.wrap(data);
            List<Snapshot.FieldView> fields = new ArrayList<>();
            for (ComponentSchema.Field f : schema.fields()) {
                Object value = value(b, f);
                // Entity fields are shown, not edited: with the scene name beside the handle.
                fields.add(value instanceof Long l && f.type() == FieldType.ENTITY
                        ? new Snapshot.FieldView(f.name(), "entity", Entities.format(l), EntityLabel.of(w, l))
                        : field(f.name(), f.type().spelling(), value));
            }
            out.add(new Snapshot.ComponentView(schema.name(), fields));
        }
        return out;
    }

    private static Object value(ByteBuffer b, ComponentSchema.Field f) {
        int o = f.offset();
        return switch (f.type()) {
            case BOOL -> b.get(o) != 0;
            case I32 -> b.getInt(o);
            case U32 -> Integer.toUnsignedLong(b.getInt(o));
            case I64, U64, ENTITY -> b.getLong(o);
            case F32 -> b.getFloat(o);
            case F64 -> b.getDouble(o);
            case VEC3 -> new Vec3(b.getFloat(o), b.getFloat(o + 4), b.getFloat(o + 8));
        };
    }

    private static Map<String, Object> vars(World w, long h) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, VarValue> e : w.vars(h).entrySet()) {
            out.put(e.getKey(), switch (e.getValue()) {
                case VarValue.F64 v -> v.value();
                case VarValue.I64 v -> v.value();
                case VarValue.Bool v -> v.value();
                case VarValue.V3 v -> v3(v.value());
            });
        }
        return out;
    }

    static float[] v3(Vec3 v) {
        return new float[] {v.x(), v.y(), v.z()};
    }

    static float[] q(Quat v) {
        return new float[] {v.x(), v.y(), v.z(), v.w()};
    }
}
