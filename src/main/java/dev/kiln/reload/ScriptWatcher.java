package dev.kiln.reload;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Watches folders (recursively) and reports every created, modified or deleted file path. An
 * editor's atomic save (write a temp file, rename it over the original) shows up as a create
 * of the original path, so it is reported like a modify.
 */
final class ScriptWatcher implements AutoCloseable {
    private final WatchService service;
    private final Map<WatchKey, Path> dirs = new HashMap<>();
    private final Set<Path> registered = new HashSet<>();
    private final Listener onChange;
    private final Thread thread;

    /** Told of each changed path; {@code renamedIn}: it appeared whole (an atomic save's rename, a new file). */
    interface Listener {
        void changed(Path file, boolean renamedIn);
    }

    ScriptWatcher(Listener onChange) throws IOException {
        this.service = FileSystems.getDefault().newWatchService();
        this.onChange = onChange;
        this.thread = Thread.ofPlatform().daemon().name("kiln-script-watcher").unstarted(this::loop);
    }

    /** Watches {@code root} and every folder under it, and folders created there later. */
    synchronized void watch(Path root) throws IOException {
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path dir : tree.filter(Files::isDirectory).toList()) register(dir);
        }
        start();
    }

    /** Watches one folder (a symlink's target, the folder of an input outside the script's tree). */
    synchronized void watchFolder(Path dir) throws IOException {
        if (dir == null || !Files.isDirectory(dir)) return;
        register(dir);
        start();
    }

    private void start() {
        if (!thread.isAlive() && thread.getState() == Thread.State.NEW) thread.start();
    }

    private synchronized void register(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (registered.contains(abs)) return;
        WatchKey key = abs.register(service, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
        dirs.put(key, abs);
        registered.add(abs);
    }

    private void loop() {
        try {
            while (true) {
                WatchKey key = service.take();
                Path dir;
                synchronized (this) {
                    dir = dirs.get(key);
                }
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == OVERFLOW || dir == null) continue;
                    Path changed = dir.resolve((Path) event.context());
                    if (event.kind() == ENTRY_CREATE && Files.isDirectory(changed)) {
                        newFolder(changed);
                    }
                    onChange.changed(changed, event.kind() == ENTRY_CREATE);
                }
                if (!key.reset()) {
                    synchronized (this) {
                        Path gone = dirs.remove(key);
                        if (gone != null) registered.remove(gone); // re-registered if it comes back
                    }
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing: the loop ends
        }
    }

    /**
     * Watches a folder created under a watched one, and reports what is already in it: a file
     * written right after `mkdir` lands before the folder is registered and has no event of its own.
     */
    private void newFolder(Path folder) {
        try {
            register(folder); // first: a file created after this has an event, one created before is listed below
            List<Path> entries;
            try (Stream<Path> list = Files.list(folder)) {
                entries = list.toList();
            }
            for (Path p : entries) {
                if (Files.isDirectory(p)) newFolder(p);
                else onChange.changed(p, true);
            }
        } catch (IOException e) {
            System.err.println("kiln: cannot watch new folder " + folder + ": " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        service.close();
        thread.interrupt();
    }
}
