package dev.kiln.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A private copy of the files one build compiles. Each file is read once; those bytes are both
 * hashed (the cache key) and what the compiler reads, so a save landing during the build can
 * never put content Y into a library named by content X's hash. Files are mirrored at their
 * absolute path under {@link #root()}, so relative imports, `..` and the module-root rule
 * resolve exactly as in the real tree; a symlink is copied as the content it points to.
 */
final class SourceSnapshot implements AutoCloseable {
    /** Far more than a script's sources; past it, references are not followed (said in the build's errors). */
    static final int FILES_MAX = 4096;

    private final Path root;
    /**
     * What a kept folder (a warm compiler's, see {@link #sync}) held before this snapshot, real
     * path → bytes; null for a fresh folder, which {@link #close} deletes.
     */
    private final Map<Path, byte[]> previous;
    /** Real path (as the compiler names it, links not resolved) → the bytes copied. */
    private final Map<Path, byte[]> files = new TreeMap<>();
    /** Referenced paths that exist but are no regular file (a FIFO, a device, a folder). */
    private final List<Path> notRegular = new ArrayList<>();
    private boolean truncated;

    private SourceSnapshot(Path root, Map<Path, byte[]> previous) {
        this.root = root;
        this.previous = previous;
    }

    /**
     * Copies {@code script}, everything it references (transitively, see {@link ScriptSources})
     * and {@code seeds} (what the compiler read last time) into a fresh folder under {@code parent}.
     */
    static SourceSnapshot take(Path script, Collection<Path> seeds, Path parent) throws IOException {
        Files.createDirectories(parent);
        SourceSnapshot s = new SourceSnapshot(Files.createTempDirectory(parent, "snap-"), null);
        s.gather(script, seeds);
        return s;
    }

    /**
     * Like {@link #take}, into a folder kept from one build to the next (a warm compiler reads
     * the same paths every update): only files whose bytes changed since {@code previous} (what
     * the last sync wrote) are rewritten, each by a rename, so the compiler sees a new inode and
     * never a half-written file; files no longer part of the script are deleted from the folder,
     * so the compiler reads exactly the bytes this snapshot hashes.
     */
    static SourceSnapshot sync(Path script, Collection<Path> seeds, Path root, Map<Path, byte[]> previous)
            throws IOException {
        Files.createDirectories(root);
        SourceSnapshot s = new SourceSnapshot(root, Map.copyOf(previous));
        s.gather(script, seeds);
        for (Path gone : previous.keySet()) {
            if (!s.files.containsKey(gone)) Files.deleteIfExists(s.mirror(gone));
        }
        return s;
    }

    /** Real path → bytes of every file copied: what the next {@link #sync} compares against. */
    Map<Path, byte[]> files() {
        return Map.copyOf(files);
    }

    private void gather(Path script, Collection<Path> seeds) throws IOException {
        SourceSnapshot s = this;
        Deque<Path> todo = new ArrayDeque<>();
        todo.add(script);
        todo.addAll(seeds);
        while (!todo.isEmpty()) {
            if (s.files.size() >= FILES_MAX) {
                s.truncated = true;
                break;
            }
            Path file = todo.poll().toAbsolutePath().normalize();
            if (s.files.containsKey(file) || s.notRegular.contains(file) || !Files.exists(file)) continue;
            if (!Files.isRegularFile(file)) {
                s.notRegular.add(file); // reading a FIFO would hang this thread: never copied
                continue;
            }
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                continue; // deleted meanwhile: the compiler reports it missing, with its line
            }
            s.add(file, bytes);
            if (file.toString().endsWith(".zig")) {
                for (String ref : ScriptSources.references(new String(bytes, StandardCharsets.UTF_8))) {
                    todo.add(file.getParent().resolve(ref));
                }
            }
        }
    }

    /** Copies one more file the compiler asked for; false when it is not a readable regular file. */
    boolean addFromRealTree(Path file) {
        if (files.containsKey(file) || !Files.isRegularFile(file)) {
            if (Files.exists(file) && !Files.isRegularFile(file) && !notRegular.contains(file)) notRegular.add(file);
            return false;
        }
        try {
            add(file, Files.readAllBytes(file));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void add(Path file, byte[] bytes) throws IOException {
        Path copy = mirror(file);
        files.put(file, bytes);
        if (previous != null && Arrays.equals(previous.get(file), bytes) && Files.isRegularFile(copy)) {
            return; // unchanged: the warm compiler keeps its analysis of it
        }
        Files.createDirectories(copy.getParent());
        if (previous == null) {
            Files.write(copy, bytes);
            return;
        }
        Path temp = copy.resolveSibling("." + copy.getFileName() + ".kiln-tmp");
        Files.write(temp, bytes);
        Files.move(temp, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    Path root() {
        return root;
    }

    /** Where the snapshot holds {@code real}. */
    Path mirror(Path real) {
        return root.resolve(real.toAbsolutePath().normalize().toString().substring(1));
    }

    /** The real path of a snapshot path, or null when {@code p} is not in the snapshot folder. */
    Path real(Path p) {
        Path n = p.toAbsolutePath().normalize();
        return n.startsWith(root) ? Path.of("/").resolve(root.relativize(n)) : null;
    }

    boolean contains(Path real) {
        return files.containsKey(real);
    }

    /** True when the references went on past {@link #FILES_MAX} and were not all copied. */
    boolean truncated() {
        return truncated;
    }

    List<Path> notRegular() {
        return List.copyOf(notRegular);
    }

    /** Hashes every copied file: its path relative to {@code base} and its bytes. */
    void digest(MessageDigest sha, Path base) {
        for (Map.Entry<Path, byte[]> e : files.entrySet()) {
            sha.update(base.relativize(e.getKey()).toString().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(Long.toString(e.getValue().length).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(e.getValue());
        }
    }

    /** Replaces snapshot paths in compiler output with the real ones the user edits. */
    String toRealPaths(String text) {
        return text.replace(root + "/", "/");
    }

    /**
     * Deletes snapshot folders under {@code parent} older than {@code age}: left by a process
     * that was killed mid-build. Younger ones may belong to a build running in another process.
     */
    static void removeStale(Path parent, Duration age) {
        if (!Files.isDirectory(parent)) return;
        long cutoff = System.currentTimeMillis() - age.toMillis();
        try (Stream<Path> folders = Files.list(parent)) {
            for (Path f : folders.filter(p -> p.getFileName().toString().startsWith("snap-")).toList()) {
                if (Files.getLastModifiedTime(f).toMillis() < cutoff) new SourceSnapshot(f, null).close();
            }
        } catch (IOException e) {
            // leftovers cost disk only
        }
    }

    /** Deletes a fresh snapshot's folder; a kept one ({@link #sync}) stays for the next update. */
    @Override
    public void close() {
        if (previous != null) return;
        deleteTree(root);
    }

    /** Deletes a folder and everything in it; a leftover costs disk only. */
    static void deleteTree(Path root) {
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover snapshot folder costs disk only; the next build uses a fresh one
        }
    }
}
