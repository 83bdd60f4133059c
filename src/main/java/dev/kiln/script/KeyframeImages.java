package dev.kiln.script;

import java.util.Arrays;

/**
 * The scripts' side of rewind keyframes (docs/rewind.md): captures the instance table as an
 * {@link InstanceTableImage} and puts one back, reusing the last image's rows while the table
 * is unchanged. The rows are read again only when an attach, detach, enable, priority,
 * connection or library swap happened since (the three versions of {@link #key()}): at 10k
 * entities × 3 scripts an unchanged table costs the State slabs' bulk copy only.
 *
 * <p>Frame thread, between frames; the runtime's {@code exportInstances} checks that the
 * boundary is quiet first.
 */
final class KeyframeImages {
    private final ScriptRuntime runtime;
    private final InstanceRegistry instances;
    private final SignalBus signals;
    private final ScriptReports reports;
    private final CommandApplier applier;
    /** The instance rows of the last image taken or restored, and the versions they match. */
    private InstanceTableImage.Rows rows;
    private final long[] rowsKey = new long[3];

    KeyframeImages(ScriptRuntime runtime, InstanceRegistry instances, SignalBus signals, ScriptReports reports,
                   CommandApplier applier) {
        this.runtime = runtime;
        this.instances = instances;
        this.signals = signals;
        this.reports = reports;
        this.applier = applier;
    }

    /** What the instance rows depend on: table, connections and State slots versions. */
    private long[] key() {
        return new long[] {instances.tableVersion(), signals.connectionsVersion(), instances.slotsVersion()};
    }

    /** The instance table as it is now; null when a State lies outside its library's slab. */
    InstanceTableImage export() {
        long[] key = key();
        InstanceTableImage.Rows reuse = Arrays.equals(key, rowsKey) ? rows : null;
        InstanceTableImage image = InstanceTableImage.capture(runtime, reuse, instances.nextInstanceId(),
                instances.nextAttachSequence());
        if (image == null) return null;
        rows = image.rows();
        System.arraycopy(key, 0, rowsKey, 0, key.length);
        return image;
    }

    /** Puts {@code image} back (see {@code ScriptRuntime.importInstances}). */
    void restore(InstanceTableImage image) {
        if (image.rows() == rows && Arrays.equals(key(), rowsKey)) {
            // Nothing attached, detached, enabled, reprioritised, connected or swapped since the
            // image was taken (no init or shutdown can be pending either): every instance has
            // its slot still, and only the States' bytes and containers go back.
            image.restoreStates(runtime);
            reports.clearInitFailures();
            signals.clearQueued();
            applier.forgetSpawnResults();
            return;
        }
        image.restoreInto(runtime);
        System.arraycopy(key(), 0, rowsKey, 0, rowsKey.length);
        rows = image.rows(); // what the table is now
    }
}
