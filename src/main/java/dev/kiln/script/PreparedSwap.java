package dev.kiln.script;

import dev.kiln.loader.ScriptCode;
import dev.kiln.state.StateMigration;
import java.lang.foreign.MemorySegment;

/**
 * What a swap can work out before the frame boundary, on the thread that loaded the new
 * version (ScriptRuntime.prepareSwap): the new version's library, the migration plan from the
 * version running then, and a block of States sized for its instances, the declared defaults
 * already in it — or, for a body edit whose States stay in place, no library or block, only
 * the dry run's throw-away State. The swap on the frame thread uses them when the running version and its
 * container memory are still the ones planned against and the block is large enough, and works
 * them out again otherwise; either way the result is the same.
 */
public final class PreparedSwap {
    final ScriptCode next;
    final ScriptLibrary fresh;
    /** The running version the plan was made against; null when none ran. */
    final ScriptLibrary against;
    final boolean relocate;
    final StateMigration migration;
    /** {@code states} slots for States (defaults written unless the plan's copies write every byte), then one zeroed slot. */
    final StateSlab.Block block;
    final int states;
    /** The dry run's kiln_instance entry, in the new version's memory; null: made at the swap. */
    final MemorySegment dryRunEntry;
    /** Either version's State describes a container (kiln.List and kind): the swap sweeps unreferenced ones. */
    final boolean containers;
    /**
     * The dry run's zeroed State for a swap that keeps the States in place, in the new version's
     * memory (no slab's: the frame hash reads the slabs); null: made at the swap.
     */
    final MemorySegment dryRunState;
    /**
     * The swap keeps every State in place (LibrarySwap.keepsStatesInPlace, worked out here: it
     * depends only on the running version planned against and the new one, so the swap's own
     * answer would be the same).
     */
    final boolean inPlace;

    PreparedSwap(ScriptCode next, ScriptLibrary fresh, ScriptLibrary against, boolean relocate,
                 StateMigration migration, StateSlab.Block block, int states, MemorySegment dryRunEntry,
                 boolean containers, MemorySegment dryRunState, boolean inPlace) {
        this.next = next;
        this.fresh = fresh;
        this.against = against;
        this.relocate = relocate;
        this.migration = migration;
        this.block = block;
        this.states = states;
        this.dryRunEntry = dryRunEntry;
        this.containers = containers;
        this.dryRunState = dryRunState;
        this.inPlace = inPlace;
    }

    /** The new version this swap would put in. */
    public ScriptCode next() {
        return next;
    }
}
