package dev.kiln.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which scripts each file feeds: every input the compiler reported for a script, under the path
 * the script names it by and, for a symlink, under its resolved real location too (editors save
 * the target). Missing inputs stay in the index, so creating them reloads their scripts.
 */
final class InputIndex {
    private final Map<Path, Set<String>> users = new LinkedHashMap<>();
    private final Map<String, Set<Path>> inputs = new LinkedHashMap<>();

    /** Replaces {@code script}'s inputs; returns the folders to watch for them. */
    synchronized Set<Path> set(String script, Collection<Path> files) {
        remove(script);
        Set<Path> keys = new LinkedHashSet<>();
        for (Path f : files) keys.addAll(names(f.toAbsolutePath().normalize()));
        inputs.put(script, keys);
        Set<Path> folders = new LinkedHashSet<>();
        for (Path k : keys) {
            users.computeIfAbsent(k, p -> new LinkedHashSet<>()).add(script);
            folders.add(existingFolder(k));
        }
        return folders;
    }

    synchronized Set<Path> of(String script) {
        return Set.copyOf(inputs.getOrDefault(script, Set.of()));
    }

    synchronized void remove(String script) {
        Set<Path> old = inputs.remove(script);
        if (old == null) return;
        for (Path k : old) {
            Set<String> u = users.get(k);
            if (u != null && u.remove(script) && u.isEmpty()) users.remove(k);
        }
    }

    /** Scripts built from {@code changed}. */
    synchronized Set<String> users(Path changed) {
        Set<String> out = new LinkedHashSet<>();
        for (Path k : names(changed.toAbsolutePath().normalize())) out.addAll(users.getOrDefault(k, Set.of()));
        return out;
    }

    /**
     * The path itself and, when a link on the way resolves elsewhere, the real location; for a
     * link whose target is missing, where the target will be.
     */
    private static List<Path> names(Path p) {
        try {
            Path real = p.toRealPath();
            return real.equals(p) ? List.of(p) : List.of(p, real);
        } catch (IOException missing) {
            try {
                if (Files.isSymbolicLink(p)) return List.of(p, p.resolveSibling(Files.readSymbolicLink(p)).normalize());
            } catch (IOException e) {
                // unreadable link: watched by its name only
            }
            return List.of(p); // missing: watched by its name until it exists
        }
    }

    /** The file's folder, or its nearest existing ancestor when the folder is missing too. */
    private static Path existingFolder(Path file) {
        Path dir = file.getParent();
        while (dir != null && !Files.isDirectory(dir)) dir = dir.getParent();
        return dir;
    }
}
