package dev.kiln.reload;

import dev.kiln.abi.ScriptInfo;
import dev.kiln.loader.ScriptCode;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Spots a new version that would keep none of the running State: the running version has at
 * least one field and no field of the new one has any of their names. That is what a transient
 * file looks like (an emptied script is a valid script without State) and almost never an edit,
 * so such a version is swapped only once confirmed: the same content saved again, or
 * {@link HotReloadManager#confirm}. A version with its own migrate or deserialize hook maps
 * State itself and is not held.
 */
final class FieldDropGuard {
    private FieldDropGuard() {}

    /** The running fields {@code next} would drop when it drops every one of them, else empty. */
    static List<String> dropsEveryField(ScriptInfo running, ScriptCode next) {
        List<String> old = running.stateFields().stream().map(ScriptInfo.StateField::name).toList();
        if (old.isEmpty() || next.hasMigrateHook() || next.hasDeserializeHook()) return List.of();
        Set<String> kept = next.info().stateFields().stream().map(ScriptInfo.StateField::name)
                .collect(Collectors.toSet());
        return old.stream().anyMatch(kept::contains) ? List.of() : old;
    }
}
