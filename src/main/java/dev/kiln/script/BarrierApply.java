package dev.kiln.script;

import dev.kiln.dataplane.ChurnApply;
import dev.kiln.abi.CommandBuffer;
import dev.kiln.abi.CommandDecoder;
import dev.kiln.abi.CommandKind;
import dev.kiln.abi.CommandRecords;
import dev.kiln.abi.Layouts;
import dev.kiln.dataplane.HotApply;
import dev.kiln.dataplane.NativeSignals;
import dev.kiln.dataplane.SignalLane;
import dev.kiln.dataplane.SnapshotPublisher;
import dev.kiln.ecs.World;
import java.lang.foreign.MemorySegment;
import java.util.function.LongConsumer;

/**
 * What the barrier writes to the world: the command buffer's ranges applied in canonical order
 * (the hot request kinds and plain spawns/despawns natively when set up, every other record,
 * and every record of a range past its quota, through {@link CommandDecoder} and
 * {@link CommandApplier} with every check), then the buffer reset; and the update phase's
 * velocity integration. Frame thread only.
 */
final class BarrierApply {
    private final World world;
    private final SnapshotPublisher snapshot;
    private final CommandBuffer commands;
    private final CommandRanges ranges;
    private final CommandApplier applier;
    private final PhysicsRoute physics;
    private final SignalBus signals;
    private final ScriptReports reports;

    /** The native apply path for the hot request kinds (null: every record is applied in Java). */
    private HotApply hotApply;
    private final long[] hotCounters = HotApply.counters();
    /** Plain spawns and despawns applied natively (with the hot path only; null: in Java). */
    private ChurnApply churnApply;
    private final ChurnApply.Pass churnPass = new ChurnApply.Pass();
    /** Spawn and despawn records the native churn pass applied (a test's witness that it ran). */
    private long churnAppliedNatively;
    /** The phase batch whose ranges the next {@link #applyRanges} applies from its entries (or null). */
    private InstanceBatch fusedBatch;
    private long commandsApplied;
    /** Whether update calls may be offered own-transform columns at all (see {@link #offersOwnTransforms}). */
    private boolean ownTransforms = true;
    /** Whether update calls may be offered the signal lane at all (see {@link #offeredLane}). */
    private boolean signalLane = true;
    /** The lane the fused batch's update calls were offered (null: none). */
    private SignalLane fusedLane;
    /** Batches whose lane was taken after their apply, held or queued (a test's witness that the path ran). */
    private long lanesTakenAfterApply;
    /** The fused batch's callbacks, made once (a method reference per barrier was garbage every frame). */
    private final InstanceBatch.JavaRange rangeInJava = this::applyRangeInJava;
    private final InstanceBatch.ChurnRun churnRun = this::applyChurnRun;
    private final InstanceBatch.OwnTransformInJava ownInJava = this::applyOwnInJava;
    private final InstanceBatch.LaneInJava laneInJava = this::takeLaneInJava;

    BarrierApply(World world, SnapshotPublisher snapshot, CommandBuffer commands, CommandRanges ranges,
                 CommandApplier applier, PhysicsRoute physics, SignalBus signals, ScriptReports reports) {
        this.world = world;
        this.snapshot = snapshot;
        this.commands = commands;
        this.ranges = ranges;
        this.applier = applier;
        this.physics = physics;
        this.signals = signals;
        this.reports = reports;
    }

    /** Applies the hot request kinds (and churn) through {@code hot}; null: all in Java. */
    void setHotApply(HotApply hot) {
        this.hotApply = hot;
        this.churnApply = hot == null ? null : ChurnApply.active();
    }

    HotApply hotApply() {
        return hotApply;
    }

    /**
     * Has the next barrier apply {@code batch}'s ranges from its kiln_instance entries, as after
     * a phase's run (tests write the entries themselves).
     */
    void applyFromEntriesAtBarrier(InstanceBatch batch) {
        applyFromEntriesAtBarrier(batch, null);
    }

    /** As {@link #applyFromEntriesAtBarrier(InstanceBatch)}, for update calls that were offered {@code lane} (null: none). */
    void applyFromEntriesAtBarrier(InstanceBatch batch, SignalLane lane) {
        // always from the entries: natively, or (no native apply, a physics route) in Java with
        // each instance's own transform and lane part before its range (InstanceBatch.applyInJava)
        fusedBatch = batch;
        fusedLane = lane;
    }

    /**
     * The signal lane the phase's update calls are offered (kiln_signal_lane), emptied for them,
     * or null: offered with the native apply path (its barrier takes the parts natively, or in
     * Java where it stops), unless a test turned it off ({@link #setSignalLane}).
     */
    SignalLane offeredLane() {
        if (!signalLane || hotApply == null || NativeSignals.active() == null) return null;
        SignalLane lane = signals.lane();
        lane.reset();
        return lane;
    }

    /** False: no update call is offered the signal lane (a test compares both ways). */
    void setSignalLane(boolean offered) {
        this.signalLane = offered;
    }

    /** Batches whose lane was taken after their apply (see {@link #applyRanges}). */
    long lanesTakenAfterApply() {
        return lanesTakenAfterApply;
    }

    /**
     * Whether the phase's update calls are offered their own-transform columns
     * (kiln_own_transform): always, unless a test turned them off ({@link #setOwnTransforms}); so
     * an own transform means the same (no part of the quota) on every path.
     */
    boolean offersOwnTransforms() {
        return ownTransforms;
    }

    /** False: no update call is offered its own-transform column (a test compares both ways). */
    void setOwnTransforms(boolean offered) {
        this.ownTransforms = offered;
    }

    /** Integrates velocities over {@code deltaTime} seconds; {@code held} hears of entities kept in place. */
    void integrate(double deltaTime, LongConsumer held) {
        if (hotApply != null) hotApply.integrate(world, (float) deltaTime, held, snapshot, hotCounters);
        else world.integrateVelocities((float) deltaTime, held);
    }

    /** Spawn and despawn records applied by the native churn pass since the runtime started. */
    long churnAppliedNatively() {
        return churnAppliedNatively;
    }

    /** Total requests applied since start. */
    long commandsApplied() {
        return commandsApplied;
    }

    /**
     * Applies every collected range (and the fused batch's) in canonical order, reports init
     * failures and dropped requests, and resets the command buffer.
     */
    void applyRanges() {
        InstanceBatch fused = fusedBatch;
        SignalLane lane = fusedLane;
        fusedBatch = null;
        fusedLane = null;
        // no native apply, or a route is active: all in Java
        boolean fusedInJava = fused != null && (hotApply == null || physics.active());
        int count = ranges.count();
        // The native pass queues signals itself while bound (with the native signal router only).
        boolean bound = hotApply != null && (count > 0 || fused != null) && !physics.active() && signals.bindApply();
        boolean lanes = false;
        try {
            applyRangesFrom(count);
            if (fused != null) { // after the ranges collected before the phase's (its inits')
                ranges.clear();
                // The lane's parts are taken in canonical order, each before its instance's range,
                // as the EMIT_SIGNAL records they stand for would be. When the batch left no record
                // at all, nothing its apply does can despawn an entity or queue a signal, so the parts
                // are taken after it in one native pass (the apply's runs stay fast); else the native
                // pass takes each before its range (bound), Java where it stops.
                boolean laneUsed = lane != null && lane.used() > 0;
                boolean after = laneUsed && !fusedInJava && bound && fused.leftNoRecords(hotApply);
                MemorySegment binding = laneUsed && !after && !fusedInJava ? fused.laneBinding(lane) : null;
                if (laneUsed) fused.useLane(after ? null : lane, laneInJava);
                if (binding != null) {
                    NativeSignals.active().bindLanes(binding);
                    lanes = true;
                } else if (laneUsed && !after) {
                    fusedInJava = true; // the entries cannot be read natively: Java takes every part in order
                }
                if (fusedInJava || !fused.applyFused(hotApply, commands.data(), world, snapshot, hotCounters, ranges,
                        rangeInJava, churnRun, ownInJava)) {
                    ranges.clear();
                    fused.applyInJava(ranges, rangeInJava, ownInJava);
                }
                if (after) {
                    // held for the dispatch (routed from the lane in place) when the bus can, else queued now
                    fused.useLane(lane, laneInJava);
                    HeldLane held = new HeldLane(fused, lane);
                    if (!signals.hold(held)) held.queueAll(world, NativeSignals.active());
                    lanesTakenAfterApply++;
                } else if (laneUsed) {
                    fused.useLane(null, null);
                }
            }
        } finally {
            if (lanes) NativeSignals.active().bindLanes(MemorySegment.NULL);
            if (bound) signals.unbindApply();
        }
        if (hotApply != null) applier.addApplied(HotApply.takeApplied(hotCounters));
        reports.reportInitFailures();
        commandsApplied += applier.takeApplied();
        ranges.clear();
        int dropped = commands.droppedCount();
        if (dropped > 0) {
            reports.logEngine(LogEntry.Level.WARN, Integer.toUnsignedLong(dropped) + " requests dropped: the command buffer ("
                    + commands.capacityBytes() + " bytes) was full (posted by a script that does not stop for room,"
                    + " see docs/abi.md)");
        }
        commands.reset();
    }

    /**
     * A lane part as the decoder takes the EMIT_SIGNAL records it stands for ({@link InstanceBatch.LaneInJava}):
     * each entry checked (a part outside the lane, a malformed entry: reported, the rest skipped),
     * each past the quota refused and counted as a flood, the others queued by the applier's
     * emitSignal (a stale target reported, the queue's bounds).
     */
    private int takeLaneInJava(int source, int quota, SignalLane lane, int first, int count) {
        int capacity = lane.capacity();
        if (first < 0 || count < 0 || first > capacity || count > capacity - first) {
            reports.log(LogEntry.Level.ERROR, source, "malformed signal lane part (kiln_lane_part): entries " + Integer.toUnsignedString(first)
                    + "+" + Integer.toUnsignedString(count) + " outside the lane's " + capacity + " (its signals are skipped)");
            return 0;
        }
        MemorySegment e = lane.entries();
        int taken = 0, refused = 0;
        for (int k = 0; k < count; k++) {
            long at = (long) (first + k) * SignalLane.ENTRY;
            int nameLength = SignalLane.nameLength(e, at), payload = SignalLane.payloadSize(e, at);
            if (nameLength == 0 || nameLength + payload > Layouts.LANE_SIGNAL_BYTES) {
                reports.log(LogEntry.Level.ERROR, source, "malformed lane signal (kiln_lane_signal): a " + nameLength
                        + "-byte name and a " + payload + "-byte payload, not 1 to " + Layouts.LANE_SIGNAL_BYTES
                        + " together (the rest of its part is skipped)");
                break;
            }
            if (quota > 0 && (taken + 1L) * Layouts.LANE_SIGNAL_QUOTA_BYTES > quota) { // as the SDK refuses it
                refused++;
                continue;
            }
            taken++;
            applier.emitSignal(source, SignalLane.target(e, at), SignalLane.nameHash(e, at), e, at + SignalLane.BYTES,
                    nameLength, payload);
        }
        if (refused > 0) reports.noteFlood(source, quota, refused, 0);
        return taken * Layouts.LANE_SIGNAL_QUOTA_BYTES;
    }

    private void applyRangesFrom(int count) {
        int r = 0;
        while (r < count) {
            if (hotApply != null && !physics.active() && (HotApply.startsHot(commands.data(), ranges.offset(r),
                    ranges.javaOnly()[r]) || signals.takesNatively(commands.data(), ranges.offset(r), ranges.javaOnly()[r]))) {
                // Native: every hot record of ranges [r, stop) and of range stop up to the first
                // record it did not apply; Java takes that range from there, with every check.
                int to = Math.min(count, r + HotApply.RANGES_PER_CALL_MAX);
                int stop = hotApply.apply(commands.data(), ranges.offsets(), ranges.lengths(), ranges.owners(),
                        ranges.javaOnly(), r, to, world, snapshot, hotCounters);
                if (stop == to) {
                    r = to;
                    continue;
                }
                applyRangeInJava(stop, HotApply.stopOffset(hotCounters));
                r = stop + 1;
            } else {
                applyRangeInJava(r, ranges.offset(r));
                r++;
            }
        }
    }

    /**
     * An instance's own transform (kiln_own_transform) as the decoder applies the vec3 record it
     * stands for: of one of the four vec3 transform kinds (any other is malformed), on
     * {@code entity}, with every check and report (not counted against the quota: abi/kiln.h).
     */
    private void applyOwnInJava(int source, int kind, long entity, float x, float y, float z) {
        CommandKind k = CommandKind.ofCode(kind);
        if (k == null || k.record != CommandRecords.VEC3) { // the kinds the decoder hands to transformVec3
            reports.log(LogEntry.Level.ERROR, source, "malformed own transform (kiln_own_transform): kind " + kind
                    + " is not SET_POSITION, TRANSLATE, SET_SCALE or SET_VELOCITY (the request is skipped)");
            return;
        }
        applier.transformVec3(source, k, entity, x, y, z);
    }

    /**
     * Decodes range {@code r} from byte {@code from} (its start, or where the native path
     * stopped: records before it were applied) to its end, enforcing its quota from its start.
     */
    private void applyRangeInJava(int r, int from) {
        int offset = ranges.offset(r), length = ranges.length(r), quota = ranges.quota(r);
        int rest = length - (from - offset);
        long refused = Integer.toUnsignedLong(ranges.refused(r)); // what the script's call counted
        long logsDropped = Integer.toUnsignedLong(ranges.logsDropped(r));
        if (quota > 0 && length > quota) {
            // Only a script that ignores its quota writes past it (scripts are untrusted): the
            // engine refuses what lies past it, as the SDK would have. (The native path never
            // starts such a range, so from == offset here.)
            long counts = CommandDecoder.decode(commands.data(), offset, length, ranges.owner(r), quota, applier);
            refused += CommandDecoder.refused(counts);
            logsDropped += CommandDecoder.logsDropped(counts);
        } else if (rest > 0) {
            int end = from + rest;
            // as the hot path: with a physics route active everything goes through the decoder
            if (churnApply != null && !physics.active() && ChurnApply.startsChurn(commands.data(), from)) {
                from = applyChurn(from, end, ranges.owner(r));
            }
            if (end > from) CommandDecoder.decode(commands.data(), from, end - from, ranges.owner(r), applier);
        }
        if (refused > 0 || logsDropped > 0) reports.noteFlood(ranges.owner(r), quota, refused, logsDropped);
    }

    /**
     * Ranges [first, end), each starting with a spawn or despawn, within its quota, nothing
     * refused (a batch of spawners): one native churn call for the run; the range it stops in
     * and those after it go on as {@link #applyRangeInJava} takes them.
     */
    private void applyChurnRun(int first, int end) {
        int r = first;
        if (churnApply != null && !physics.active() && end - first > 1) {
            for (int k = first; k < end; k++) {
                churnPass.setRange(k - first, ranges.offset(k), ranges.offset(k) + ranges.length(k), ranges.owner(k));
            }
            int done = churnApply.applyRanges(commands.data(), end - first, world, snapshot, applier.spawnResults(),
                    applier.frameIndex(), churnPass);
            noteChurnApplied();
            r = first + done;
            if (r < end) applyRangeInJava(r++, churnPass.stopOffset());
        }
        for (; r < end; r++) applyRangeInJava(r, ranges.offset(r));
    }

    /**
     * Applies the plain spawns and despawns of [from, end) natively from {@code from} on
     * (kiln_churn.c); returns the offset of the first record left for the decoder. The spawn
     * results go into the applier's table at once (written there natively): a later record of
     * the range (decoded in Java) may name one of them by its pending handle.
     */
    private int applyChurn(int from, int end, int owner) {
        int stop = churnApply.apply(commands.data(), from, end, owner, world, snapshot, applier.spawnResults(),
                applier.frameIndex(), churnPass);
        noteChurnApplied();
        return stop;
    }

    /** Counts what the churn pass applied with the applier's own. */
    private void noteChurnApplied() {
        long applied = churnPass.takeApplied();
        churnAppliedNatively += applied;
        applier.addApplied(applied);
    }
}
