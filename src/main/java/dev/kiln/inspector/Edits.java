package dev.kiln.inspector;

import dev.kiln.abi.ScriptInfo;
import dev.kiln.ecs.ComponentSchema;
import dev.kiln.ecs.ComponentStore;
import dev.kiln.ecs.Entities;
import dev.kiln.ecs.FieldType;
import dev.kiln.ecs.Status;
import dev.kiln.ecs.VarValue;
import dev.kiln.engine.Engine;
import dev.kiln.rewind.HostEdit;
import dev.kiln.script.Phase;
import dev.kiln.script.ScriptInstance;
import dev.kiln.script.StateFields;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;

/**
 * Edits to scripts on entities, each validated in full before anything changes. Frame thread
 * only (called from FrameBridge jobs), so nothing runs while they look and write.
 */
final class Edits {
    private final Engine engine;

    Edits(Engine engine) {
        this.engine = engine;
    }

    EditResult attach(long entity, String script, int priority, String phaseName) {
        if (!engine.world().isAlive(entity)) return EditResult.notFound("entity " + Entities.format(entity) + " is not alive");
        if (engine.scripts().library(script) == null) return EditResult.bad("no script named '" + script + "' is loaded");
        Phase phase = null;
        if (phaseName != null && !phaseName.isBlank()) {
            phase = parsePhase(phaseName);
            if (phase == null) return EditResult.bad("phase '" + phaseName + "' is not pre_update, update or post_update");
        }
        ScriptInstance i = engine.scripts().attach(entity, script, priority, phase);
        record(new HostEdit.Attach(entity, script, priority, phase));
        return EditResult.ok("attached " + i + " (instance " + i.id() + "); its init runs before the next phase");
    }

    EditResult detach(int instanceId) {
        ScriptInstance i = engine.scripts().instance(instanceId);
        if (i == null) return noInstance(instanceId);
        engine.scripts().detach(i);
        record(new HostEdit.Detach(instanceId));
        return EditResult.ok("detached " + i + "; its shutdown runs at the next barrier");
    }

    EditResult setEnabled(int instanceId, boolean enabled) {
        ScriptInstance i = engine.scripts().instance(instanceId);
        if (i == null) return noInstance(instanceId);
        if (enabled && i.fault() != null) {
            return EditResult.conflict(i + " was disabled by a fault (" + i.fault()
                    + "); fix the script and save, or revert it, to run it again");
        }
        Status s = engine.scripts().setEnabled(i, enabled);
        if (s == Status.OK) record(new HostEdit.Enabled(instanceId, enabled));
        return s == Status.OK ? EditResult.ok((enabled ? "enabled " : "disabled ") + i) : EditResult.conflict(i + ": " + s);
    }

    EditResult setPriority(int instanceId, int priority) {
        ScriptInstance i = engine.scripts().instance(instanceId);
        if (i == null) return noInstance(instanceId);
        Status s = engine.scripts().setPriority(i, priority);
        if (s == Status.OK) record(new HostEdit.Priority(instanceId, priority));
        return s == Status.OK ? EditResult.ok(i + " now runs at priority " + priority) : EditResult.conflict(i + ": " + s);
    }

    EditResult setState(int instanceId, String field, String text) {
        ScriptInstance i = engine.scripts().instance(instanceId);
        if (i == null) return noInstance(instanceId);
        String error = StateFields.write(i, field, text);
        if (error == null) record(new HostEdit.StateField(instanceId, field, text));
        return error == null ? EditResult.ok(i + " State." + field + " = " + text) : EditResult.bad(error);
    }

    /** Sets an existing ScriptVars entry, keeping its kind (scripts read it with a fixed type). */
    EditResult setVar(long entity, String key, String text) {
        if (!engine.world().isAlive(entity)) return EditResult.notFound("entity " + Entities.format(entity) + " is not alive");
        VarValue current = engine.world().getVar(entity, key);
        if (current == null) return EditResult.notFound("entity " + Entities.format(entity) + " has no ScriptVars entry '" + key + "'");
        VarValue next;
        try {
            next = VarText.parse(current, text);
        } catch (IllegalArgumentException e) {
            return EditResult.bad("ScriptVars '" + key + "': " + e.getMessage());
        }
        Status s = engine.world().setVar(entity, key, next);
        if (s == Status.OK) record(new HostEdit.Var(entity, key, next));
        return s == Status.OK ? EditResult.ok("ScriptVars '" + key + "' = " + text.strip()) : EditResult.bad("ScriptVars '" + key + "': " + s);
    }

    /** Sets one field of a component an entity has, parsed and checked by the field's type. */
    EditResult setComponentField(long entity, String component, String field, String text) {
        if (!engine.world().isAlive(entity)) return EditResult.notFound("entity " + Entities.format(entity) + " is not alive");
        ComponentStore store = engine.world().componentStore(component);
        if (store == null) return EditResult.notFound("no component type '" + component + "' is registered");
        byte[] row = store.get(Entities.index(entity));
        if (row == null) return EditResult.notFound("entity " + Entities.format(entity) + " has no '" + component + "' component");
        ComponentSchema.Field f = store.schema().field(field);
        if (f == null) return EditResult.notFound("component '" + component + "' has no field '" + field + "'");
        String error;
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment copy = scratch.allocate(Math.max(1, row.length), 8); // aligned for typed writes
            copy.copyFrom(MemorySegment.ofArray(row));
            error = StateFields.writeTyped(copy, new ScriptInfo.StateField(f.name(), fieldCode(f.type()),
                    f.offset(), f.type().size()), text, "component field");
            if (error == null) row = copy.asSlice(0, row.length).toArray(ValueLayout.JAVA_BYTE);
        }
        if (error != null) return EditResult.bad(error.replace("component field '", "component field '" + component + "."));
        Status s = engine.world().addComponent(entity, store.schema().typeHash(), row);
        if (s == Status.OK) record(new HostEdit.Component(entity, store.schema().typeHash(), row));
        return s == Status.OK ? EditResult.ok(component + "." + field + " = " + text.strip())
                : EditResult.bad(component + "." + field + ": " + s);
    }

    /** The kiln_field_info type code of a component field's type (entity fields are not editable). */
    private static int fieldCode(FieldType type) {
        return switch (type) {
            case BOOL -> 1;
            case I32 -> 2;
            case U32 -> 3;
            case I64 -> 4;
            case U64 -> 5;
            case F32 -> 6;
            case F64 -> 7;
            case VEC3 -> 8;
            case ENTITY -> 10;
        };
    }

    /** Hands an applied edit to the run's recorder, so a replay makes it again (docs/rewind.md). */
    private void record(HostEdit edit) {
        if (engine.recorder() != null) engine.recorder().noteEdit(edit);
    }

    private static EditResult noInstance(int id) {
        return EditResult.notFound("no script instance " + id + " (detached, or its entity despawned)");
    }

    static Phase parsePhase(String name) {
        try {
            return Phase.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null; // the caller says which phases exist
        }
    }
}
