package dev.kiln.script;

import dev.kiln.state.StateMigration;
import java.util.List;

/**
 * Outcome of swapping a script's library: on success every instance runs the new code with its
 * migrated State; on failure nothing changed and {@code error} says why.
 */
public record SwapResult(boolean ok, String script, int instances, List<StateMigration.FieldChange> changes,
                         String error, long migrateNanos, long swapNanos, Parts parts) {
    /**
     * Where a successful swap's time on the frame thread went, nanoseconds: taking the script's
     * instances in order, the health check and dry-run init, allocating and migrating the States,
     * the old version's unload hook, switching every instance to the new version, relinking the
     * phase tables, closing the old library. {@code migrateNanos} is the first four but the hook,
     * {@code swapNanos} the rest.
     */
    public record Parts(long instances, long dryRun, long migrate, long unloadHook, long switchInstances, long relink,
                        long close) {
        static final Parts NONE = new Parts(0, 0, 0, 0, 0, 0, 0);
    }

    static SwapResult failed(String script, String error) {
        return new SwapResult(false, script, 0, List.of(), error, 0, 0, Parts.NONE);
    }
}
