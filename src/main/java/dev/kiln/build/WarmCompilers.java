package dev.kiln.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The warm compilers of one {@link ScriptCompiler}: per script, a {@link CompilerSession} and
 * the folder its snapshot is kept in between updates (the compiler's command line names the
 * same paths every time). At most {@link #SESSIONS_MAX} stay open; the least recently built
 * script's compiler is closed first. A compiler not used for {@link #IDLE_STOP} stops, and
 * while the compilers together hold more than {@link #MEMORY_BOUND} of resident memory, the
 * least recently used idle ones stop: the next build of that script starts a fresh one.
 *
 * <p>One per project is not possible: a Zig 0.17.1 compiler server compiles the one artifact
 * its command line names ({@code update} has no body; {@code zig build --watch} keeps one
 * process per compile step), and its incremental state lives only in that process (saving it
 * to disk is not implemented), so each script keeps its own.
 */
final class WarmCompilers implements AutoCloseable {
    /**
     * Each warm compiler holds its analysis in memory (a few hundred MB for a small script);
     * a scene's scripts fit, a test run building hundreds of scripts does not keep hundreds.
     */
    static final int SESSIONS_MAX = 12;
    /**
     * A compiler not used for this long stops (its 100–180 MiB returned): the user left the
     * script alone; the next save of it starts a fresh compiler (≈ 0.5–1 s more, once).
     */
    static final Duration IDLE_STOP = Duration.ofMinutes(5);
    /** Resident memory all warm compilers together may hold before idle ones stop, least recently used first. */
    static final long MEMORY_BOUND = 1L << 30;
    /** How often idle time and memory are checked. */
    static final Duration CHECK_EVERY = Duration.ofSeconds(1);
    /** Folder of the build dir holding the kept snapshots, one per process and script. */
    private static final String FOLDER = "warm";

    /** Numbers the instances of this process: two engines in one process never share a folder. */
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Path parent;
    private final int instance = INSTANCES.incrementAndGet();
    /** Script → its slot, least recently used first. */
    private final LinkedHashMap<Path, Slot> slots = new LinkedHashMap<>(16, 0.75f, true);
    private boolean closed;
    private volatile Duration idleStop = IDLE_STOP;
    private volatile long memoryBound = MEMORY_BOUND;
    /** Stops idle compilers and keeps memory bounded; a daemon, ended by {@link #close}. */
    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kiln-warm-compilers");
        t.setDaemon(true);
        return t;
    });

    WarmCompilers(Path buildDir) {
        this.parent = buildDir.resolve(FOLDER);
        removeOrphans(parent);
        long every = CHECK_EVERY.toMillis();
        checker.scheduleWithFixedDelay(this::stopIdle, every, every, TimeUnit.MILLISECONDS);
    }

    /** Other limits than {@link #IDLE_STOP} and {@link #MEMORY_BOUND} (tests use short ones). */
    void limit(Duration idle, long memoryBytes) {
        if (idle.isNegative() || memoryBytes < 0) throw new IllegalArgumentException("limits must be >= 0: " + idle + ", " + memoryBytes);
        this.idleStop = idle;
        this.memoryBound = memoryBytes;
    }

    /**
     * Stops each compiler idle for longer than the idle limit, then, least recently used first,
     * idle ones while all of them hold more than the memory bound. A compiler building is never
     * stopped here (its build holds the slot; its time counts from the build's end).
     */
    void stopIdle() {
        List<Slot> byAge;
        synchronized (this) {
            if (closed) return;
            byAge = List.copyOf(slots.values()); // least recently used first
        }
        long now = System.nanoTime();
        long resident = 0;
        List<Slot> running = new ArrayList<>();
        for (Slot s : byAge) {
            if (!s.warm()) continue;
            if (!s.building() && now - s.lastUsed() > idleStop.toNanos()) s.stopIfIdle(now, idleStop.toNanos());
            else {
                running.add(s);
                resident += s.residentBytes();
            }
        }
        for (Slot s : running) {
            if (resident <= memoryBound) break;
            if (s.building()) continue;
            long held = s.residentBytes();
            if (s.stopIfIdle(now, 0)) resident -= held;
        }
    }

    /** The slot of {@code script}, created on first use (null once closed); may close the least recently used one. */
    Slot slot(Path script) {
        List<Slot> evicted = new ArrayList<>();
        Slot s;
        synchronized (this) {
            if (closed) return null;
            s = slots.computeIfAbsent(script, p -> new Slot(parent.resolve(folderName(p))));
            var it = slots.entrySet().iterator();
            while (slots.size() > SESSIONS_MAX && it.hasNext()) {
                Slot old = it.next().getValue();
                if (old == s) continue;
                evicted.add(old);
                it.remove();
            }
        }
        for (Slot old : evicted) old.close(); // waits for a build using it to end
        return s;
    }

    /** The warm compiler of {@code script}, if one runs: its pid and the updates it answered. */
    synchronized Optional<long[]> describe(Path script) {
        Slot s = slots.get(script);
        if (s == null) return Optional.empty();
        CompilerSession session = s.session;
        return session == null || !session.alive() ? Optional.empty()
                : Optional.of(new long[] {session.pid(), session.updates()});
    }

    /** Stops {@code script}'s compiler, if one runs (waiting for a build using it): the next build starts a fresh one. */
    void discard(Path script) {
        Slot s;
        synchronized (this) {
            s = slots.get(script);
        }
        if (s == null) return;
        synchronized (s) {
            s.discard();
        }
    }

    /** "pid-instance-name-hash": one folder per script of each engine, so two engines never share one. */
    private String folderName(Path script) {
        String name = ScriptCompiler.scriptName(script).replaceAll("[^A-Za-z0-9_.-]", "_");
        String pathHash = HexFormat.of().toHexDigits(script.toString().hashCode());
        return ProcessHandle.current().pid() + "-" + instance + "-" + name + "-" + pathHash;
    }

    /** Deletes kept folders of processes that no longer run (a killed engine's). */
    private static void removeOrphans(Path parent) {
        if (!Files.isDirectory(parent)) return;
        try (Stream<Path> folders = Files.list(parent)) {
            for (Path f : folders.toList()) {
                String n = f.getFileName().toString();
                int dash = n.indexOf('-');
                if (dash <= 0) continue;
                try {
                    long pid = Long.parseLong(n.substring(0, dash));
                    if (ProcessHandle.of(pid).isEmpty()) SourceSnapshot.deleteTree(f);
                } catch (NumberFormatException e) {
                    // not ours
                }
            }
        } catch (IOException e) {
            // leftovers cost disk only
        }
    }

    @Override
    public void close() {
        checker.shutdownNow();
        List<Slot> all;
        synchronized (this) {
            closed = true;
            all = List.copyOf(slots.values());
            slots.clear();
        }
        for (Slot s : all) s.close();
    }

    /** One script's kept folder and compiler. Builds of the script hold its lock for their whole run. */
    static final class Slot implements AutoCloseable {
        private final Path root;
        /** What the folder holds (real path → bytes), as the last sync wrote it. */
        private Map<Path, byte[]> files = Map.of();
        private CompilerSession session;
        private boolean closed;
        /** When the last build with it ended (System.nanoTime), and whether one runs now. */
        private volatile long lastUsed = System.nanoTime();
        private volatile boolean building;

        private Slot(Path root) {
            this.root = root;
        }

        /** A build starts using this slot (the caller holds its lock). */
        void begin() {
            building = true;
        }

        /** The build ended: its idle time counts from now. */
        void end() {
            lastUsed = System.nanoTime();
            building = false;
        }

        boolean building() {
            return building;
        }

        long lastUsed() {
            return lastUsed;
        }

        /** Updates its compiler has answered, 0 when none runs. */
        int updates() {
            CompilerSession s = session;
            return s == null || !s.alive() ? 0 : s.updates();
        }

        /** True when its compiler runs. */
        boolean warm() {
            CompilerSession s = session;
            return s != null && s.alive();
        }

        /** Its compiler's resident memory in bytes (0 when none runs or it cannot be read). */
        long residentBytes() {
            CompilerSession s = session;
            return s == null ? 0 : s.residentBytes();
        }

        /**
         * Stops its compiler if no build uses it and it has been idle more than {@code idleNanos}
         * (checked again under the lock: a build may have started meanwhile); true when stopped.
         */
        synchronized boolean stopIfIdle(long now, long idleNanos) {
            if (building || closed || session == null || now - lastUsed < idleNanos) return false;
            discard();
            return true;
        }

        Path root() {
            return root;
        }

        boolean closed() {
            return closed;
        }

        /** Brings the kept folder to the script's current bytes (see {@link SourceSnapshot#sync}). */
        SourceSnapshot sync(Path script, Collection<Path> seeds) throws IOException {
            Map<Path, byte[]> before = files;
            files = Map.of(); // until remembered: a failed sync must not leave a stale view of the folder
            return SourceSnapshot.sync(script, seeds, root, before);
        }

        /** Records what the folder now holds, after every file of the build was written. */
        void remember(SourceSnapshot snap) {
            files = snap.files();
        }

        /** The running compiler for {@code command}, started when there is none or it differs. */
        CompilerSession session(List<String> command, Path ioDir, Map<String, String> env) throws IOException {
            if (session != null && (!session.alive() || !session.command().equals(command))) discard();
            if (session == null) session = CompilerSession.start(command, root, ioDir, env);
            return session;
        }

        /** Stops the compiler (a cancelled or broken update): the next build starts a fresh one. */
        void discard() {
            if (session != null) session.close();
            session = null;
        }

        @Override
        public synchronized void close() {
            closed = true;
            discard();
            SourceSnapshot.deleteTree(root);
        }
    }
}
