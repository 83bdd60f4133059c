package dev.kiln.script;

import dev.kiln.state.StateMigration;
import java.util.List;

/**
 * Outcome of swapping a script's library: on success every instance runs the new code with its
 * migrated State; on failure nothing changed and {@code error} says why.
 */
public record SwapResult(boolean ok, String script, int instances, List<StateMigration.FieldChange> changes,
                         String error, long migrateNanos, long swapNanos) {
    static SwapResult failed(String script, String error) {
        return new SwapResult(false, script, 0, List.of(), error, 0, 0);
    }
}
