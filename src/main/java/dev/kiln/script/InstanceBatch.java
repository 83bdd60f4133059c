package dev.kiln.script;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.abi.Layouts;
import dev.kiln.dataplane.ChurnApply;
import dev.kiln.dataplane.GrowableSegment;
import dev.kiln.dataplane.HotApply;
import dev.kiln.dataplane.SignalLane;
import dev.kiln.dataplane.SnapshotPublisher;
import dev.kiln.ecs.World;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
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
    static final long ENTRY = Layouts.INSTANCE.byteSize();
    /** Bytes of an own-transform slot (kiln_own_transform), one per entry, and where its kind is. */
    static final long OWN = Layouts.OWN_TRANSFORM.byteSize();
    static final long OWN_KIND = Layouts.offset(Layouts.OWN_TRANSFORM, "kind");
    private static final long OWN_X = Layouts.offset(Layouts.OWN_TRANSFORM, "value");

    private static final class Group {
        /** Changed only by a swap's relink: the same entries, now calling the new version. */
        ScriptLibrary library;
        final GrowableSegment memory;
        /**
         * The update calls' own-transform column (abi/kiln.h kiln_own_transform), parallel to the
         * entries: slot k is entry k's. Every slot's kind is 0 outside an update call and its
         * barrier (the barrier clears what it applies, a fault what it discards).
         */
        final GrowableSegment own = new GrowableSegment(64 * OWN);
        /**
         * The update calls' signal-lane parts (abi/kiln.h kiln_lane_part), parallel to the entries:
         * part k is entry k's. Every part's count is 0 outside an update call and its barrier (the
         * barrier takes each, a fault or a room skip clears it).
         */
        final GrowableSegment lane = new GrowableSegment(64 * SignalLane.PART);
        final List<ScriptInstance> members = new ArrayList<>();
        int count;

        Group(ScriptLibrary library) {
            this(library, new GrowableSegment(64 * ENTRY));
        }

        Group(ScriptLibrary library, GrowableSegment memory) {
            this.library = library;
            this.memory = memory;
        }

        /** Room for {@code slots} entries and their own-transform slots (new ones zeroed). */
        void ensure(int slots) {
            memory.ensure(slots * ENTRY, true);
            own.ensure(slots * OWN, true);
            lane.ensure(slots * SignalLane.PART, true);
        }
    }

    private final Map<ScriptLibrary, Group> pool = new IdentityHashMap<>();
    private final Map<ScriptLibrary, Group> active = new LinkedHashMap<>();
    /** Instances in canonical order; entries [0, size) of groupOf / slotOf describe them. */
    private final ArrayList<ScriptInstance> order = new ArrayList<>();
    private Group[] groupOf = new Group[0];
    private int[] slotOf = new int[0];
    /** The engine's id and request quota of each instance, in canonical order (native collect). */
    private int[] idOf = new int[0];
    private int[] quotaOf = new int[0];
    /**
     * Address of each instance's kiln_instance, in canonical order, for the native collect;
     * recomputed before use after anything that may move or shift entries.
     */
    private long[] entryAddress = new long[0];
    /** Address of each instance's own-transform slot, in canonical order (as entryAddress). */
    private long[] ownAddress = new long[0];
    /** Address of each instance's signal-lane part, in canonical order (as entryAddress). */
    private long[] laneAddress = new long[0];
    /**
     * Where each instance's run ends, in canonical order (kiln_apply_batch's run_ends): instances
     * [i, runEnd[i]) are consecutive entries of one library.
     */
    private int[] runEnd = new int[0];
    private boolean addressesStale = true;
    private int size;

    /** Lays out {@code ordered} (already in canonical order). */
    void build(List<ScriptInstance> ordered) {
        active.clear();
        for (Group g : pool.values()) {
            g.count = 0;
            g.members.clear();
        }
        order.clear();
        order.addAll(ordered);
        size = ordered.size();
        if (groupOf.length < size) {
            groupOf = new Group[size];
            slotOf = new int[size];
            idOf = new int[size];
            quotaOf = new int[size];
        }
        for (int i = 0; i < size; i++) {
            ScriptInstance instance = ordered.get(i);
            Group g = pool.computeIfAbsent(instance.library(), Group::new);
            active.putIfAbsent(instance.library(), g);
            int slot = g.count++;
            g.members.add(instance);
            g.ensure(slot + 1);
            groupOf[i] = g;
            slotOf[i] = slot;
            idOf[i] = instance.id();
            quotaOf[i] = instance.requestQuota();
        }
        addressesStale = true;
        for (int i = 0; i < size; i++) {
            writeEntry(groupOf[i].memory.segment(), slotOf[i] * ENTRY, ENTRY, ordered.get(i));
        }
    }

    // ---- incremental changes: one attach, detach, enable/disable or fault costs a shift of
    // ---- the entries after it, not a rebuild of every entry (a full build is ~50 ns per instance)

    /** Position of {@code instance} in the canonical order, or -1. The order must be sorted. */
    int indexOf(ScriptInstance instance) {
        int at = insertionPoint(order, instance);
        return at < size && order.get(at) == instance ? at : -1;
    }

    /** Adds {@code instance} at its place in canonical order (it must not be in the batch). */
    void insert(ScriptInstance instance) {
        assert indexOf(instance) < 0 : instance + " is in the batch already";
        int at = insertionPoint(order, instance);
        Group g = pool.computeIfAbsent(instance.library(), Group::new);
        int slot = insertionPoint(g.members, instance);
        g.ensure(g.count + 1);
        MemorySegment m = g.memory.segment();
        MemorySegment.copy(m, slot * ENTRY, m, (slot + 1) * ENTRY, (g.count - slot) * ENTRY); // overlap-safe
        MemorySegment o = g.own.segment();
        MemorySegment.copy(o, slot * OWN, o, (slot + 1) * OWN, (g.count - slot) * OWN);
        o.asSlice(slot * OWN, OWN).fill((byte) 0);
        MemorySegment l = g.lane.segment();
        MemorySegment.copy(l, slot * SignalLane.PART, l, (slot + 1) * SignalLane.PART, (g.count - slot) * SignalLane.PART);
        l.asSlice(slot * SignalLane.PART, SignalLane.PART).fill((byte) 0);
        writeEntry(m, slot * ENTRY, ENTRY, instance);
        g.members.add(slot, instance);
        g.count++;
        if (size == groupOf.length) {
            groupOf = Arrays.copyOf(groupOf, Math.max(16, size * 2));
            slotOf = Arrays.copyOf(slotOf, groupOf.length);
            idOf = Arrays.copyOf(idOf, groupOf.length);
            quotaOf = Arrays.copyOf(quotaOf, groupOf.length);
        }
        System.arraycopy(groupOf, at, groupOf, at + 1, size - at);
        System.arraycopy(slotOf, at, slotOf, at + 1, size - at);
        System.arraycopy(idOf, at, idOf, at + 1, size - at);
        System.arraycopy(quotaOf, at, quotaOf, at + 1, size - at);
        groupOf[at] = g;
        slotOf[at] = slot;
        idOf[at] = instance.id();
        quotaOf[at] = instance.requestQuota();
        addressesStale = true;
        order.add(at, instance);
        size++;
        for (int i = at + 1; i < size; i++) if (groupOf[i] == g) slotOf[i]++;
        if (slot == 0) reorderActive(); // new first instance of its library (or a new library)
    }

    /** Removes the instance at canonical position {@code at} (from {@link #indexOf}). */
    void removeAt(int at) {
        Group g = groupOf[at];
        int slot = slotOf[at];
        MemorySegment m = g.memory.segment();
        MemorySegment.copy(m, (slot + 1) * ENTRY, m, slot * ENTRY, (g.count - slot - 1) * ENTRY);
        MemorySegment o = g.own.segment();
        MemorySegment.copy(o, (slot + 1) * OWN, o, slot * OWN, (g.count - slot - 1) * OWN);
        o.asSlice((g.count - 1) * OWN, OWN).fill((byte) 0); // the freed last slot: kind 0 for its next user
        MemorySegment l = g.lane.segment();
        MemorySegment.copy(l, (slot + 1) * SignalLane.PART, l, slot * SignalLane.PART, (g.count - slot - 1) * SignalLane.PART);
        l.asSlice((g.count - 1) * SignalLane.PART, SignalLane.PART).fill((byte) 0);
        g.members.remove(slot);
        g.count--;
        System.arraycopy(groupOf, at + 1, groupOf, at, size - at - 1);
        System.arraycopy(slotOf, at + 1, slotOf, at, size - at - 1);
        System.arraycopy(idOf, at + 1, idOf, at, size - at - 1);
        System.arraycopy(quotaOf, at + 1, quotaOf, at, size - at - 1);
        addressesStale = true;
        order.remove(at);
        size--;
        groupOf[size] = null;
        for (int i = at; i < size; i++) if (groupOf[i] == g) slotOf[i]--;
        if (slot == 0) reorderActive(); // the group's first instance went: libraries may run in another order
    }

    /** Libraries in order of their first instance, as {@link #build} orders them. */
    private void reorderActive() {
        active.clear();
        for (int i = 0; i < size; i++) active.putIfAbsent(order.get(i).library(), groupOf[i]);
    }

    /** First position whose instance sorts after {@code instance} or is it. */
    private static int insertionPoint(List<ScriptInstance> sorted, ScriptInstance instance) {
        int lo = 0, hi = sorted.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ScriptInstance.compareOrder(sorted.get(mid), instance) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /**
     * Writes a kiln_instance for {@code instance} at {@code at}, zeroing {@code entryBytes} first
     * (a kiln_signal_delivery starts with the same kiln_instance, so signals use this too).
     * The kiln_instance's own fields are stored one by one (no slice per entry).
     */
    static void writeEntry(MemorySegment s, long at, long entryBytes, ScriptInstance instance) {
        if (entryBytes > ENTRY) s.asSlice(at + ENTRY, entryBytes - ENTRY).fill((byte) 0);
        s.set(JAVA_LONG, at + Layouts.INSTANCE_ENTITY, instance.entity());
        s.set(ADDRESS, at + Layouts.INSTANCE_STATE, instance.stateMemory());
        s.set(JAVA_INT, at + Layouts.INSTANCE_ID, instance.id());
        s.set(JAVA_INT, at + Layouts.INSTANCE_FLAGS, Layouts.INSTANCE_ENABLED);
        for (long b = Layouts.INSTANCE_CMD_OFFSET; b < ENTRY; b += 8) s.set(JAVA_LONG, at + b, 0L); // outputs
        s.set(JAVA_INT, at + Layouts.INSTANCE_CMD_QUOTA, instance.hookQuota());
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    List<ScriptInstance> order() {
        return order;
    }

    /** One downcall per library, in order of each library's first instance; faults contained. */
    void call(MemorySegment frame, FaultRecovery.Call call, FaultRecovery.Context context) {
        call(frame, call, context, false);
    }

    /**
     * As {@link #call(MemorySegment, FaultRecovery.Call, FaultRecovery.Context)}; with
     * {@code offerOwn} each library's update call is offered its own-transform column (only for
     * update calls whose barrier applies the batch with {@link #applyFused} or
     * {@link #applyInJava}, which apply the column).
     */
    void call(MemorySegment frame, FaultRecovery.Call call, FaultRecovery.Context context, boolean offerOwn) {
        call(frame, call, context, offerOwn, null);
    }

    /**
     * As {@link #call(MemorySegment, FaultRecovery.Call, FaultRecovery.Context, boolean)}; with a
     * {@code lane} each in-process library's update call is also offered the signal lane with its
     * part column (an isolated library is not: it posts records), for a barrier that takes the
     * parts ({@link #applyFused} with the lane bound, {@link #applyInJava}, or held for the dispatch).
     */
    void call(MemorySegment frame, FaultRecovery.Call call, FaultRecovery.Context context, boolean offerOwn,
              SignalLane lane) {
        boolean timed = context.timesLibraryCalls(); // the inspector's per-library time
        long t0 = timed ? System.nanoTime() : 0;
        for (Group g : active.values()) {
            if (g.count > 0 && !g.library.poisoned()) {
                SignalLane offered = lane != null && !g.library.isolated() ? lane : null;
                FaultRecovery.invoke(g.library, frame, g.memory.segment(), ENTRY, g.count, g.members,
                        offerOwn ? g.own.segment() : null, offered, g.lane.segment(), call, context);
                if (timed) {
                    // One clock reading per library: its end is the next one's start.
                    long t1 = System.nanoTime();
                    g.library.addCallNanos(t1 - t0);
                    t0 = t1;
                }
            }
        }
    }

    /**
     * Computes each entry's address for the native calls when stale; false when an entry's memory
     * is gone (a forgotten library's), and then only the checked Java path may read them.
     */
    private boolean entryAddressesReady() {
        if (!addressesStale) return true;
        if (entryAddress.length < size) {
            entryAddress = new long[groupOf.length];
            ownAddress = new long[groupOf.length];
            laneAddress = new long[groupOf.length];
            runEnd = new int[groupOf.length];
        }
        for (int i = 0; i < size; i++) {
            MemorySegment m = groupOf[i].memory.segment();
            MemorySegment o = groupOf[i].own.segment();
            MemorySegment l = groupOf[i].lane.segment();
            if (!m.scope().isAlive() || !o.scope().isAlive() || !l.scope().isAlive()) return false;
            entryAddress[i] = m.address() + slotOf[i] * ENTRY;
            ownAddress[i] = o.address() + slotOf[i] * OWN;
            laneAddress[i] = l.address() + slotOf[i] * SignalLane.PART;
        }
        for (int i = size - 1; i >= 0; i--) {
            // canonical neighbours of one library are its consecutive slots (its members are in canonical order)
            runEnd[i] = i + 1 < size && groupOf[i + 1] == groupOf[i] ? runEnd[i + 1] : i + 1;
        }
        addressesStale = false;
        return true;
    }

    /**
     * Applies the phase's requests of instances [0, size) in canonical order with the collect
     * fused into the native apply ({@link HotApply#applyBatch}): no range tables in between. An
     * instance the native pass stops at is collected into {@code ranges} alone and handed to
     * {@code java} with the offset to decode from (its range's start, or the first record not
     * applied), as are the instances after it whose ranges do not start with a hot record (so
     * a batch of spawners or emitters costs no downcall per instance). False, with nothing
     * applied, when the entries cannot be read natively (then use {@link #applyInJava}).
     */
    boolean applyFused(HotApply hot, MemorySegment data, World world, SnapshotPublisher snapshot,
                       long[] counters, CommandRanges ranges, JavaRange java, ChurnRun churn, OwnTransformInJava own) {
        if (!entryAddressesReady()) return false;
        int i = 0;
        while (i < size) {
            int to = Math.min(size, i + HotApply.RANGES_PER_CALL_MAX);
            int stop = hot.applyBatch(data, entryAddress, idOf, quotaOf, ownAddress, runEnd, i, to, world, snapshot, counters);
            if (stop == to) {
                i = to;
                continue;
            }
            javaRange(ranges, stop, HotApply.stopOffset(counters), java, own);
            i = stop + 1;
            while (i < size && !startsHot(data, i)) {
                // a run of spawners' ranges: collected together, applied by one churn call
                int first = ranges.count(), j = i;
                while (j < size && j - i < HotApply.RANGES_PER_CALL_MAX && startsPlainChurn(data, j)) {
                    takeRange(ranges, j);
                    j++;
                }
                if (j > i) {
                    churn.apply(first, ranges.count());
                    i = j;
                    continue;
                }
                javaRange(ranges, i, -1, java, own);
                i++;
            }
        }
        return true;
    }

    /**
     * Applies ranges [first, end) of the ranges {@link #applyFused} collected for a run of
     * instances whose ranges start with a spawn or despawn, within their quotas, with nothing
     * refused or dropped, in order.
     */
    interface ChurnRun {
        void apply(int first, int end);
    }

    /** True when instance i's range is non-empty, starts with a SPAWN, SPAWN_AT or DESPAWN and needs no Java-only report. */
    private boolean startsPlainChurn(MemorySegment data, int i) {
        if (ownPending(i) || lanePending(i)) return false; // its own transform and lane part come first
        int at = plainRangeOffset(i);
        return at >= 0 && ChurnApply.startsChurn(data, at);
    }

    /** Decodes the rest of an instance's range in Java (see {@link #applyFused}). */
    interface JavaRange {
        /** Range {@code r} of {@code ranges}, from byte {@code from}. */
        void apply(int r, int from);
    }

    /**
     * Instance i's own transform through {@code own} when it has one left (the native pass stopped
     * at it, or did not run), then its range through {@code java} from {@code from} (-1, which is
     * also {@link HotApply#STOP_AT_OWN}: its start), if it has one.
     */
    private void javaRange(CommandRanges ranges, int i, int from, JavaRange java, OwnTransformInJava own) {
        applyOwnInJava(i, own);
        int laneBytes = takeLaneInJava(i);
        int before = ranges.count();
        takeRange(ranges, i);
        if (ranges.count() == before) return; // empty, nothing refused
        int quota = ranges.quota(before);
        // the lane entries it posted first count against its quota (abi/kiln.h): its records get what is left
        if (laneBytes > 0 && quota > 0) ranges.limit(before, Math.max(8, quota - laneBytes));
        java.apply(before, from < 0 ? ranges.offset(before) : from);
    }

    /** Takes instance i's lane parts in Java (see {@link #useLane}); null: the batch has none to take. */
    private LaneInJava laneInJava;
    private SignalLane laneOf;

    /**
     * The lane this batch's update calls were offered and how Java takes a part of it (an
     * instance the native pass stopped at, or the whole batch in Java); null: none.
     */
    void useLane(SignalLane lane, LaneInJava java) {
        this.laneOf = lane;
        this.laneInJava = java;
    }

    /** Every lane part of the batch emptied (a held lane routed in place, or dropped). */
    void clearLaneParts() {
        for (Group g : active.values()) g.lane.segment().asSlice(0, g.count * SignalLane.PART).fill((byte) 0);
    }

    /** Instance i's lane part, if any is left, taken in Java (where the native pass after the apply stopped). */
    void takeLanePartInJava(int i) {
        takeLaneInJava(i);
    }

    /** Takes instance i's lane part, if any is left, in Java; returns the quota bytes its entries took. */
    private int takeLaneInJava(int i) {
        if (laneOf == null) return 0;
        MemorySegment l = groupOf[i].lane.segment();
        long at = slotOf[i] * SignalLane.PART;
        int count = l.get(JAVA_INT, at + SignalLane.PART_COUNT);
        if (count == 0) return 0;
        int first = l.get(JAVA_INT, at + SignalLane.PART_FIRST);
        l.set(JAVA_INT, at + SignalLane.PART_COUNT, 0); // taken once, whatever Java makes of it
        return laneInJava.take(idOf[i], quotaOf[i], laneOf, first, count);
    }

    /** Takes a lane part in Java: the barrier's decoder path for the EMIT_SIGNAL records it stands for. */
    interface LaneInJava {
        /**
         * Entries [first, first + count) of {@code lane} (script-written: checked) of instance
         * {@code source}, whose request quota is {@code quota}; returns the quota bytes they took.
         */
        int take(int source, int quota, SignalLane lane, int first, int count);
    }

    /**
     * The binding of this batch's lane parts for the native apply pass (kiln_lanes_bind), or null
     * when the entries cannot be read natively.
     */
    MemorySegment laneBinding(SignalLane lane) {
        if (!entryAddressesReady()) return null;
        return lane.binding(laneAddress, size);
    }

    /**
     * True when no instance of the batch left a record or anything to report (its update left at
     * most an own transform and lane entries): then nothing its barrier applies can despawn an
     * entity or queue a signal, and its lane can wait for the dispatch. One native pass per
     * library (kiln_entries_quiet; a Java loop reading three fields per instance was ≈ 11 µs of
     * W4's frame).
     */
    boolean leftNoRecords(HotApply hot) {
        for (Group g : active.values()) {
            if (!hot.entriesQuiet(g.memory.segment(), g.count)) return false;
        }
        return true;
    }

    /**
     * Each instance's lane part in canonical order, for the dispatch (the batch's lane held past
     * its barrier); false when the entries cannot be read natively.
     */
    long[] laneAddresses() {
        return entryAddressesReady() ? laneAddress : null;
    }

    int[] ids() {
        return idOf;
    }

    int[] quotas() {
        return quotaOf;
    }

    /** As {@link HotApply#startsHot} for instance i's range, read from its entry (or an own transform first). */
    private boolean startsHot(MemorySegment data, int i) {
        if (ownPending(i) || lanePending(i)) return true; // the native pass takes them first
        int at = plainRangeOffset(i);
        if (at == RANGE_EMPTY) return true; // nothing to do: let native skip it
        return at >= 0 && HotApply.startsHot(data, at, 0);
    }

    /** {@link #plainRangeOffset}: the range is empty, nothing refused or dropped. */
    private static final int RANGE_EMPTY = -1;
    /** {@link #plainRangeOffset}: over its quota, or with refusals or dropped logs to report: Java's alone. */
    private static final int RANGE_JAVA_ONLY = -2;
    /** {@link #plainRangeOffset}: a script-written negative offset, which the decoder reports. */
    private static final int RANGE_MALFORMED = -3;

    /**
     * Where instance i's range starts (its entry's cmd_offset) when it has records to apply and
     * nothing only Java may report; else {@link #RANGE_EMPTY}, {@link #RANGE_JAVA_ONLY} or
     * {@link #RANGE_MALFORMED}.
     */
    private int plainRangeOffset(int i) {
        MemorySegment s = groupOf[i].memory.segment();
        long at = slotOf[i] * ENTRY;
        int offset = s.get(JAVA_INT, at + Layouts.INSTANCE_CMD_OFFSET);
        int length = s.get(JAVA_INT, at + Layouts.INSTANCE_CMD_BYTES);
        int refused = s.get(JAVA_INT, at + Layouts.INSTANCE_CMD_REFUSED);
        int dropped = s.get(JAVA_INT, at + Layouts.INSTANCE_LOG_DROPPED);
        int quota = quotaOf[i];
        if (length == 0 && refused == 0 && dropped == 0) return RANGE_EMPTY;
        if ((quota > 0 && length > quota) || refused != 0 || dropped != 0) return RANGE_JAVA_ONLY;
        return offset < 0 ? RANGE_MALFORMED : offset;
    }

    /** True when instance i's lane part holds entries not taken yet, while this batch's lane is taken at its barrier. */
    private boolean lanePending(int i) {
        return laneOf != null && groupOf[i].lane.segment().get(JAVA_INT, slotOf[i] * SignalLane.PART + SignalLane.PART_COUNT) != 0;
    }

    /** True when instance i's own-transform slot holds a request not applied yet. */
    private boolean ownPending(int i) {
        return groupOf[i].own.segment().get(JAVA_INT, slotOf[i] * OWN + OWN_KIND) != 0;
    }

    /**
     * Instance i's own transform through {@code own}, when its slot holds one, the slot cleared
     * first (it is applied once whatever {@code own} does).
     */
    private void applyOwnInJava(int i, OwnTransformInJava own) {
        MemorySegment o = groupOf[i].own.segment();
        long at = slotOf[i] * OWN;
        int kind = o.get(JAVA_INT, at + OWN_KIND);
        if (kind == 0) return;
        o.set(JAVA_INT, at + OWN_KIND, 0);
        long entity = groupOf[i].memory.segment().get(JAVA_LONG, slotOf[i] * ENTRY + Layouts.INSTANCE_ENTITY);
        own.apply(idOf[i], kind, entity, o.get(JAVA_FLOAT, at + OWN_X),
                o.get(JAVA_FLOAT, at + OWN_X + 4), o.get(JAVA_FLOAT, at + OWN_X + 8));
    }

    /** Applies an instance's own transform in Java (the barrier's decoder path, with its checks and reports). */
    interface OwnTransformInJava {
        /**
         * Instance {@code source} asked for a {@code kind} (KILN_CMD_*) of {@code entity} (its
         * kiln_instance's, script-writable) with value (x, y, z).
         */
        void apply(int source, int kind, long entity, float x, float y, float z);
    }

    /**
     * The whole batch in Java, in canonical order: each instance's own transform, then its range
     * (the barrier's path without the native apply, or with a physics route started since the
     * phase).
     */
    void applyInJava(CommandRanges ranges, JavaRange java, OwnTransformInJava own) {
        for (int i = 0; i < size; i++) javaRange(ranges, i, -1, java, own);
    }

    /** Appends each instance's command range in canonical order, with its quota and refusals. */
    void collectRanges(CommandRanges ranges) {
        for (int i = 0; i < size; i++) takeRange(ranges, i);
    }

    /**
     * Instance i's range into {@code ranges} ({@link #addRange}), its refusal counts then set
     * back to 0 in its entry: the engine hands an update call's entries with both at 0, so the
     * SDK does not reset them per hook when it is offered the own-transform column (abi/kiln.h).
     */
    private void takeRange(CommandRanges ranges, int i) {
        MemorySegment s = groupOf[i].memory.segment();
        long at = slotOf[i] * ENTRY;
        addRange(ranges, s, at, groupOf[i].members.get(slotOf[i]));
        if (s.get(JAVA_LONG, at + Layouts.INSTANCE_CMD_REFUSED) != 0) s.set(JAVA_LONG, at + Layouts.INSTANCE_CMD_REFUSED, 0L);
    }

    /** The range of the kiln_instance at {@code at}, written by {@code instance}'s call. */
    static void addRange(CommandRanges ranges, MemorySegment s, long at, ScriptInstance instance) {
        ranges.add(s.get(JAVA_INT, at + Layouts.INSTANCE_CMD_OFFSET), s.get(JAVA_INT, at + Layouts.INSTANCE_CMD_BYTES),
                instance.id(), instance.requestQuota(), s.get(JAVA_INT, at + Layouts.INSTANCE_CMD_REFUSED),
                s.get(JAVA_INT, at + Layouts.INSTANCE_LOG_DROPPED));
    }

    /** The kiln_instance of the instance at canonical position i (valid until the batch changes). */
    MemorySegment entry(int i) {
        return groupOf[i].memory.segment().asSlice(slotOf[i] * ENTRY, ENTRY);
    }

    /** Slots holding a request (kind != 0): none outside an update call and its barrier. */
    int ownTransformsPending() {
        int pending = 0;
        for (int i = 0; i < size; i++) if (ownPending(i)) pending++;
        return pending;
    }

    /** The own-transform slot (kiln_own_transform) of the instance at canonical position i (as {@link #entry}). */
    MemorySegment ownSlot(int i) {
        return groupOf[i].own.segment().asSlice(slotOf[i] * OWN, OWN);
    }

    /** Status each instance's last call ended with (kiln_status code). */
    int statusAt(int i) {
        return groupOf[i].memory.segment().get(JAVA_INT, slotOf[i] * ENTRY + Layouts.INSTANCE_STATUS);
    }

    /**
     * After a hot-reload swap: {@code old}'s entries become {@code fresh}'s, in place — the
     * same instances in the same order and slots, each entry's State pointer rewritten to the
     * instance's new State. What a {@link #build} would lay out, without sorting and rewriting
     * every instance of every library on the swap frame. With {@code moves} (non-null: where a
     * body edit's States went), each entry's pointer is mapped from its old value, the entries
     * read in order, no instance touched; an entry no run moved has the whole group rewritten
     * from its instances. With {@link StateMoves#IN_PLACE} (a body edit that kept every State in
     * its slot) no entry is touched at all.
     */
    void relink(ScriptLibrary old, ScriptLibrary fresh, StateMoves moves) {
        Group g = pool.remove(old);
        if (g == null) return;
        g.library = fresh; // the same group, entries and slots: only the key and the States change
        pool.put(fresh, g);
        if (active.containsKey(old)) { // re-key in place: the groups' order (first appearance) stays
            List<Map.Entry<ScriptLibrary, Group>> groups = new ArrayList<>(active.entrySet());
            active.clear();
            for (Map.Entry<ScriptLibrary, Group> e : groups) active.put(e.getKey() == old ? fresh : e.getKey(), e.getValue());
        }
        if (moves != StateMoves.IN_PLACE && (moves == null || !moveStates(g.memory.segment(), g.count, moves))) {
            writeStates(g.memory.segment(), g.members, g.count);
        }
        addressesStale = true;
    }

    /**
     * Each of the first {@code count} entries' State pointers mapped by {@code moves}; false,
     * some entries left as they were, when one was not moved (the caller rewrites them all).
     * A null pointer (an instance not initialised yet) stays null.
     */
    static boolean moveStates(MemorySegment m, int count, StateMoves moves) {
        for (int slot = 0; slot < count; slot++) {
            long at = slot * ENTRY + Layouts.INSTANCE_STATE;
            long state = m.get(JAVA_LONG, at); // a pointer: 8 bytes on the 64-bit targets Kiln runs on
            if (state == 0) continue;
            long moved = moves.map(state);
            if (moved < 0) return false;
            m.set(JAVA_LONG, at, moved);
        }
        return true;
    }

    /**
     * Each of the first {@code count} entries of {@code m} gets its instance's State pointer: the
     * one loop over instances a relink needs (a static method of its own, so a warm-up can
     * compile it before the first swap).
     */
    static void writeStates(MemorySegment m, List<ScriptInstance> members, int count) {
        for (int slot = 0; slot < count; slot++) {
            MemorySegment state = members.get(slot).stateMemory();
            m.set(ADDRESS, slot * ENTRY + Layouts.INSTANCE_STATE, state == null ? MemorySegment.NULL : state);
        }
    }

    /**
     * Forgets a library (it is being unloaded); adds its entries' memory and its own-transform
     * column to {@code memory} for the caller to close (off the frame thread for a swap's old
     * version: a shared arena's close waits for every thread); nothing when it had none.
     */
    void forget(ScriptLibrary library, List<GrowableSegment> memory) {
        addressesStale = true;
        Group g = pool.remove(library);
        active.remove(library);
        if (g == null) return;
        memory.add(g.memory);
        memory.add(g.own);
        memory.add(g.lane);
    }

    @Override
    public void close() {
        for (Group g : pool.values()) {
            g.memory.close();
            g.own.close();
            g.lane.close();
        }
        pool.clear();
        active.clear();
    }
}
