package dev.kiln.script;

import dev.kiln.state.StateType;
import dev.kiln.state.StateTypeJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The scripts' side of a rewind keyframe ({@link ScriptRuntime#exportInstances}): the instance
 * table as it was at a quiet frame boundary — per instance its id, script, entity, priority,
 * phase, attach order, enabled flag, fault, whether its init succeeded, its signal connections
 * and the slot its State lives in — plus every loaded library's file and State slab (chunk
 * bytes and free list, {@link StateSlab.Image}), the containers of States that can hold them,
 * and the next instance id and attach order. {@link ScriptRuntime#importInstances} puts it back
 * exactly: instances attached since are dropped, detached ones come back, and the slabs hold
 * the same bytes in the same slots, so the frame hash (which reads the slabs whole) and every
 * later attach come out as in the recorded run.
 *
 * <p>The rows are parallel arrays (about 60 bytes an instance rather than a few hundred in
 * objects) and are shared by consecutive images while the table does not change. Immutable;
 * made and restored on the frame thread between frames.
 */
public final class InstanceTableImage {
    /** Per instance, in attach order; {@code connections[k]} is (name hash, sender, id) triples, null when none. */
    record Rows(int[] ids, String[] scripts, long[] entities, String[] entityNames, int[] priorities, Phase[] phases,
                long[] attachSequences, boolean[] enabled, String[] faults, boolean[] initSucceeded, long[] slots,
                int[] stateSizes, long[][] connections) {
        int size() {
            return ids.length;
        }

        long bytes() {
            long n = 128 + ids.length * (4L + 8 + 8 + 8 + 4 + 8 + 8 + 1 + 8 + 1 + 8 + 4 + 8);
            for (long[] c : connections) if (c != null) n += 16 + c.length * 8L;
            return n;
        }
    }

    /** One loaded library as the image holds it: its file, State type and slab. */
    private record Library(String name, Path file, StateType.StructType stateType, StateSlab.Image slab) {}

    private final Rows rows;
    private final List<Library> libraries;
    /** Per instance id, the containers of a State that can hold them (captured whole: handles change on restore). */
    private final Map<Integer, StateCapture> containers;
    private final int nextInstanceId;
    private final long nextAttachSequence;

    private InstanceTableImage(Rows rows, List<Library> libraries, Map<Integer, StateCapture> containers, int nextInstanceId,
                               long nextAttachSequence) {
        this.rows = rows;
        this.libraries = libraries;
        this.containers = containers;
        this.nextInstanceId = nextInstanceId;
        this.nextAttachSequence = nextAttachSequence;
    }

    Rows rows() {
        return rows;
    }

    /** The library file each loaded script ran when this image was taken. */
    public Map<String, Path> libraryFiles() {
        Map<String, Path> files = new LinkedHashMap<>();
        for (Library l : libraries) files.put(l.name(), l.file());
        return files;
    }

    /** How many instances were attached. */
    public int instanceCount() {
        return rows.size();
    }

    /**
     * The instance rows, an object shared by consecutive images while the table does not change:
     * a keyframe ring counts {@link #sharedBytes} once per distinct object.
     */
    public Object shared() {
        return rows;
    }

    /** Heap bytes of {@link #shared}, roughly. */
    public long sharedBytes() {
        return rows.bytes();
    }

    /** Heap bytes this image holds besides {@link #shared} (the slabs and containers), roughly. */
    public long ownBytes() {
        long n = 64;
        for (Library l : libraries) n += 64 + l.slab().bytes();
        for (StateCapture c : containers.values()) {
            n += 64 + c.stateType().size();
            for (StateCapture.Container k : c.containers()) n += 32 + k.elements().length;
        }
        return n;
    }

    /**
     * True when {@code runtime} can take this image: every script it names is loaded with the
     * same State layout, and with {@code sameCode} from the same file.
     */
    public boolean restorableInto(ScriptRuntime runtime, boolean sameCode) {
        return whyNot(runtime, sameCode) == null;
    }

    private String whyNot(ScriptRuntime runtime, boolean sameCode) {
        for (Library l : libraries) {
            ScriptLibrary now = runtime.library(l.name());
            if (now == null) return "script '" + l.name() + "' is not loaded";
            if (sameCode && !now.libraryPath().equals(l.file())) return "script '" + l.name() + "' runs " + now.libraryPath() + ", not " + l.file();
            if (!Objects.equals(now.info().stateType(), l.stateType())) return "script '" + l.name() + "' has another State layout";
        }
        return null;
    }

    /**
     * {@code runtime}'s table now; {@code rows} are reused when not null (the caller knows the
     * table has not changed since they were read). Null when a State lies outside its library's
     * slab (cannot be put back by slot).
     */
    static InstanceTableImage capture(ScriptRuntime runtime, Rows rows, int nextInstanceId, long nextAttachSequence) {
        if (rows == null) rows = readRows(runtime);
        if (rows == null) return null;
        List<Library> libs = new ArrayList<>();
        List<ScriptLibrary> byValue = new ArrayList<>();
        for (ScriptLibrary l : runtime.libraries()) {
            StateType.StructType type = l.info().stateType();
            libs.add(new Library(l.name(), l.libraryPath(), type, l.states().image()));
            if (type != null && StateTypeJson.containsList(type)) byValue.add(l);
        }
        Map<Integer, StateCapture> containers = Map.of();
        if (!byValue.isEmpty()) {
            containers = new LinkedHashMap<>();
            for (ScriptLibrary l : byValue) {
                for (ScriptInstance i : l.attachedInOrder()) if (i.state() != null) containers.put(i.id(), runtime.captureState(i));
            }
        }
        return new InstanceTableImage(rows, List.copyOf(libs), containers, nextInstanceId, nextAttachSequence);
    }

    private static Rows readRows(ScriptRuntime runtime) {
        List<ScriptInstance> all = new ArrayList<>(runtime.instances());
        all.sort((a, b) -> Long.compare(a.attachSequence(), b.attachSequence()));
        int n = all.size();
        Rows r = new Rows(new int[n], new String[n], new long[n], new String[n], new int[n], new Phase[n], new long[n],
                new boolean[n], new String[n], new boolean[n], new long[n], new int[n], new long[n][]);
        for (int k = 0; k < n; k++) {
            ScriptInstance i = all.get(k);
            r.ids[k] = i.id();
            r.scripts[k] = i.scriptName();
            r.entities[k] = i.entity();
            r.entityNames[k] = i.entityName();
            r.priorities[k] = i.priority();
            r.phases[k] = i.phase();
            r.attachSequences[k] = i.attachSequence();
            r.enabled[k] = i.enabled();
            r.faults[k] = i.fault();
            r.initSucceeded[k] = i.initSucceeded();
            r.slots[k] = -1;
            if (i.stateMemory() != null) {
                r.slots[k] = i.library().states().slotCode(i.stateMemory());
                if (r.slots[k] < 0) return null;
                r.stateSizes[k] = Math.toIntExact(i.stateMemory().byteSize());
            }
            r.connections[k] = connectionsOf(i);
        }
        return r;
    }

    private static long[] connectionsOf(ScriptInstance i) {
        SignalConnections c = i.connections();
        if (c.count() == 0) return null;
        long[] out = new long[3 * c.count()];
        long[] ids = c.ids();
        for (int k = 0; k < c.count(); k++) {
            out[3 * k] = c.nameAt(k);
            out[3 * k + 1] = c.senderAt(k);
            out[3 * k + 2] = ids[k];
        }
        return out;
    }

    /** See {@link ScriptRuntime#importInstances}. */
    void restoreInto(ScriptRuntime runtime) {
        String refused = whyNot(runtime, false);
        if (refused != null) throw new IllegalArgumentException("the keyframe's instance table cannot be restored: " + refused);
        Rows r = rows;
        List<ScriptInstance> table = new ArrayList<>(r.size());
        List<ScriptInstance> reprioritised = new ArrayList<>();
        boolean[] reused = new boolean[r.size()];
        for (int k = 0; k < r.size(); k++) {
            ScriptLibrary library = runtime.library(r.scripts[k]);
            ScriptInstance now = runtime.instance(r.ids[k]);
            ScriptInstance i;
            if (now != null && now.attachSequence() == r.attachSequences[k] && now.entity() == r.entities[k]
                    && now.phase() == r.phases[k] && now.library() == library) {
                i = now; // the same attach: kept, its fields set back below
                reused[k] = true;
                if (i.priority() != r.priorities[k]) reprioritised.add(i);
            } else {
                i = new ScriptInstance(r.ids[k], library, r.entities[k], r.priorities[k], r.phases[k], r.attachSequences[k]);
                i.setEntityName(r.entityNames[k]);
            }
            i.setPriority(r.priorities[k]);
            i.setEnabled(r.enabled[k]);
            i.setFault(r.faults[k]);
            i.setInitSucceeded(r.initSucceeded[k]);
            i.setLifecycle(ScriptInstance.Lifecycle.ACTIVE);
            table.add(i);
        }
        runtime.replaceInstances(table, nextInstanceId, nextAttachSequence);
        for (Library l : libraries) runtime.library(l.name()).states().restore(l.slab());
        SignalBus signals = runtime.signals();
        for (int k = 0; k < r.size(); k++) {
            ScriptInstance i = table.get(k);
            i.setStateMemory(r.slots[k] < 0 ? null : i.library().states().slot(r.slots[k]).asSlice(0, r.stateSizes[k]));
            long[] c = r.connections[k];
            if (reused[k] && Arrays.equals(c, connectionsOf(i))) continue;
            signals.forget(i);
            if (c != null) for (int j = 0; j < c.length; j += 3) signals.connect(i, c[j], c[j + 1], c[j + 2]);
        }
        for (ScriptInstance i : reprioritised) signals.priorityChanged(i);
        restoreContainers(runtime);
    }

    /**
     * The restore when {@code runtime}'s table is still exactly this image's rows (see
     * {@link ScriptRuntime#importInstances}): each slab's bytes written back in place (the
     * chunks are the same, so every instance keeps its slot) and the containers.
     */
    void restoreStates(ScriptRuntime runtime) {
        for (Library l : libraries) runtime.library(l.name()).states().restore(l.slab());
        restoreContainers(runtime);
    }

    private void restoreContainers(ScriptRuntime runtime) {
        for (Map.Entry<Integer, StateCapture> e : containers.entrySet()) runtime.restoreState(runtime.instance(e.getKey()), e.getValue());
    }

    /** The ids of the instances, in attach order (for tests and messages). */
    public List<Integer> instanceIds() {
        List<Integer> ids = new ArrayList<>(rows.size());
        for (int id : rows.ids) ids.add(id);
        return Collections.unmodifiableList(ids);
    }
}
