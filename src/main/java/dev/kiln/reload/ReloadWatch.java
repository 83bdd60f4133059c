package dev.kiln.reload;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What hot reload watches: each script's inputs (the files the compiler read for it, {@link
 * InputIndex}) and the folders they are in ({@link ScriptWatcher}, whose thread reports saves).
 * A save of an input is passed on, per script using it, to {@link Saves}. Synchronized: builder
 * threads update the inputs after each build while the watcher's thread reads them.
 */
final class ReloadWatch implements AutoCloseable {
    /** Where saves go: the watcher's thread, once per script the saved file is an input of. */
    interface Saves {
        void saved(String script, Path file, boolean renamedIn);
    }

    private final InputIndex inputs = new InputIndex();
    private final ReloadListener listener;
    private final Saves saves;
    private ScriptWatcher watcher;

    ReloadWatch(ReloadListener listener, Saves saves) {
        this.listener = listener;
        this.saves = saves;
    }

    /**
     * Follows {@code files} as {@code t}'s inputs. After a failed build they are added to the
     * known ones (the compiler may have stopped before reading them all); after a good build
     * they replace them.
     */
    synchronized void index(TrackedScript t, List<Path> files, boolean addToKnown) {
        Set<Path> all = new LinkedHashSet<>(files);
        all.add(t.source);
        if (addToKnown) all.addAll(inputs.of(t.name));
        Set<Path> folders = inputs.set(t.name, all);
        if (watcher == null) return;
        for (Path dir : folders) {
            try {
                watcher.watchFolder(dir); // an input in a folder not watched yet (a link's target, a new import)
            } catch (IOException e) {
                listener.onEvent(new ReloadEvent.LoadFailed(t.name, "cannot watch " + dir + " for "
                        + t.source.getFileName() + "'s inputs: " + e.getMessage()));
            }
        }
    }

    /** Starts watching (once) the folders of {@code scripts} (recursively) and of every input. */
    synchronized void watch(Collection<TrackedScript> scripts) throws IOException {
        if (watcher == null) watcher = new ScriptWatcher(this::changed);
        for (TrackedScript t : scripts) {
            watcher.watch(t.source.getParent());
            index(t, List.copyOf(inputs.of(t.name)), false);
        }
    }

    /** The files {@code script} is built from, as the compiler last reported them (missing ones included). */
    Set<Path> inputsOf(String script) {
        return inputs.of(script);
    }

    /** The watcher's thread. */
    private void changed(Path path, boolean renamedIn) {
        Path file = path.toAbsolutePath().normalize();
        for (String script : inputs.users(file)) saves.saved(script, file, renamedIn);
    }

    @Override
    public synchronized void close() throws IOException {
        if (watcher != null) watcher.close();
    }
}
