package dev.kiln.script;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.abi.GrowableSegment;
import dev.kiln.abi.Layouts;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Instances laid out as native kiln_instance arrays, one per library, so that a phase costs one
 * downcall per library. The canonical order (priority, then attach order) is kept separately:
 * after the calls, each instance's command range is collected in that order, so commands are
 * applied in canonical order whatever order the libraries ran in.
 */
final class InstanceBatch implements AutoCloseable {
    private static final long ENTRY = Layouts.INSTANCE.byteSize();

    private static final class Group {
        final ScriptLibrary library;
        final GrowableSegment memory;
        final List<ScriptInstance> members = new ArrayList<>();
        int count;

        Group(ScriptLibrary library) {
            this.library = library;
            this.memory = new GrowableSegment(64 * ENTRY);
        }
    }

    private final Map<ScriptLibrary, Group> pool = new IdentityHashMap<>();
    private final Map<ScriptLibrary, Group> active = new LinkedHashMap<>();
    private List<ScriptInstance> order = List.of();
    private Group[] groupOf = new Group[0];
    private int[] slotOf = new int[0];

    /** Lays out {@code ordered} (already in canonical order). */
    void build(List<ScriptInstance> ordered) {
        active.clear();
        for (Group g : pool.values()) {
            g.count = 0;
            g.members.clear();
        }
        order = new ArrayList<>(ordered);
        groupOf = new Group[ordered.size()];
        slotOf = new int[ordered.size()];
        for (int i = 0; i < ordered.size(); i++) {
            ScriptInstance instance = ordered.get(i);
            Group g = pool.computeIfAbsent(instance.library(), Group::new);
            active.putIfAbsent(instance.library(), g);
            int slot = g.count++;
            g.members.add(instance);
            g.memory.ensure((slot + 1) * ENTRY, true);
            groupOf[i] = g;
            slotOf[i] = slot;
        }
        for (int i = 0; i < ordered.size(); i++) {
            writeEntry(groupOf[i].memory.segment(), slotOf[i] * ENTRY, ENTRY, ordered.get(i));
        }
    }

    /**
     * Writes a kiln_instance for {@code instance} at {@code at}, zeroing {@code entryBytes} first
     * (a kiln_signal_delivery starts with the same kiln_instance, so signals use this too).
     */
    static void writeEntry(MemorySegment s, long at, long entryBytes, ScriptInstance instance) {
        s.asSlice(at, entryBytes).fill((byte) 0);
        s.set(JAVA_LONG, at + Layouts.INSTANCE_ENTITY, instance.entity());
        s.set(ADDRESS, at + Layouts.INSTANCE_STATE, instance.stateMemory());
        s.set(JAVA_INT, at + Layouts.INSTANCE_ID, instance.id());
        s.set(JAVA_INT, at + Layouts.INSTANCE_FLAGS, Layouts.INSTANCE_ENABLED);
    }

    boolean isEmpty() {
        return order.isEmpty();
    }

    int size() {
        return order.size();
    }

    List<ScriptInstance> order() {
        return order;
    }

    /** One downcall per library, in order of each library's first instance; faults contained. */
    void call(MemorySegment frame, FaultRecovery.Call call, FaultRecovery.Context context) {
        for (Group g : active.values()) {
            if (g.count > 0 && !g.library.poisoned()) {
                long t0 = System.nanoTime(); // per-library cost, for the inspector's scripts view
                FaultRecovery.invoke(g.library, frame, g.memory.segment(), ENTRY, g.count, g.members, call, context);
                g.library.addCallNanos(System.nanoTime() - t0);
            }
        }
    }

    /** Appends each instance's command range in canonical order. */
    void collectRanges(CommandRanges ranges) {
        for (int i = 0; i < groupOf.length; i++) {
            MemorySegment s = groupOf[i].memory.segment();
            long at = slotOf[i] * ENTRY;
            ranges.add(s.get(JAVA_INT, at + Layouts.INSTANCE_CMD_OFFSET), s.get(JAVA_INT, at + Layouts.INSTANCE_CMD_BYTES));
        }
    }

    /** Status each instance's last call ended with (kiln_status code). */
    int statusAt(int i) {
        return groupOf[i].memory.segment().get(JAVA_INT, slotOf[i] * ENTRY + Layouts.INSTANCE_STATUS);
    }

    /** Forgets a library's memory (after it is unloaded). */
    void forget(ScriptLibrary library) {
        Group g = pool.remove(library);
        if (g != null) g.memory.close();
        active.remove(library);
    }

    @Override
    public void close() {
        for (Group g : pool.values()) g.memory.close();
        pool.clear();
        active.clear();
    }
}
