package dev.kiln.isolate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One kiln_host process (native/kiln_host.c) and the region of memory it shares with the
 * engine, mapped at the same address on both sides. Speaks the host's pipe protocol: one byte
 * per request, one byte per reply; an end of stream means the process ended.
 */
final class HostProcess implements AutoCloseable {
    static final int PROTOCOL_VERSION = 1;
    /** Addresses offered to the host before giving up (each taken one is kept until the end). */
    private static final int MAP_ATTEMPTS = 8;
    /**
     * Every host is started from this one thread, which lives as long as the JVM: the host's
     * PR_SET_PDEATHSIG fires when the thread that started it ends, so a host started from a
     * build thread or a pool would be killed with that thread. It also ends hosts that take too
     * long to start.
     */
    private static final ScheduledExecutorService HOSTS_THREAD = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kiln-isolated-hosts");
        t.setDaemon(true);
        return t;
    });
    private static final MethodHandle KILL = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("kill").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final int SIGKILL = 9;
    /** How long a request spins on the reply counter before it blocks (see {@link #request}). */
    private static final long SPIN_NANOS = 200_000;
    private static final VarHandle REPLIES = ValueLayout.JAVA_LONG.varHandle();

    private final Process process;
    private final InputStream replies;
    private final OutputStream requests;
    private final Arena arena;
    private final MemorySegment region;
    private volatile boolean killed;

    private HostProcess(Process process, Arena arena, MemorySegment region) {
        this.process = process;
        this.replies = process.getInputStream();
        this.requests = process.getOutputStream();
        this.arena = arena;
        this.region = region;
    }

    /**
     * Starts the host for {@code library}, maps its region and waits (at most {@code timeout})
     * until it has loaded the library. Throws with what went wrong; nothing is left running.
     */
    static HostProcess start(Path hostBinary, Path library, long regionBytes, long memoryLimit, Duration timeout)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(hostBinary.toString(), library.toString(), Long.toString(regionBytes),
                Long.toString(memoryLimit))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process;
        try {
            process = HOSTS_THREAD.submit(builder::start).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the isolated host");
        }
        ScheduledFuture<?> deadline = HOSTS_THREAD.schedule(process::destroyForcibly, timeout.toMillis(), TimeUnit.MILLISECONDS);
        List<Arena> unused = new ArrayList<>(); // mappings the host refused, or all on failure
        try {
            InputStream in = process.getInputStream();
            ByteBuffer hello = ByteBuffer.wrap(readExactly(in, 9, process, "its greeting")).order(ByteOrder.LITTLE_ENDIAN);
            if (hello.get() != 'K') throw new IOException("the isolated host answered with an unknown greeting");
            int fd = hello.getInt();
            int version = hello.getInt();
            if (version != PROTOCOL_VERSION) {
                throw new IOException("the isolated host speaks protocol " + version + ", the engine " + PROTOCOL_VERSION);
            }
            Path shared = Path.of("/proc/" + process.pid() + "/fd/" + fd);
            try (FileChannel channel = FileChannel.open(shared, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                for (int attempt = 0; attempt < MAP_ATTEMPTS; attempt++) {
                    Arena arena = Arena.ofShared();
                    MemorySegment region = channel.map(FileChannel.MapMode.READ_WRITE, 0, regionBytes, arena);
                    unused.add(arena);
                    ByteBuffer offer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(region.address());
                    process.getOutputStream().write(offer.array());
                    process.getOutputStream().flush();
                    int answer = readExactly(in, 1, process, "the mapping")[0];
                    if (answer == 'M') {
                        if (readExactly(in, 1, process, "loading the library")[0] != 'r') {
                            throw new IOException("the isolated host sent an unknown reply while loading");
                        }
                        deadline.cancel(false);
                        unused.remove(arena);
                        return new HostProcess(process, arena, region);
                    }
                    // 'X': taken in the host; the mapping stays until the end so the next offer differs
                }
            }
            throw new IOException("no address of the engine's is free in the isolated host after "
                    + MAP_ATTEMPTS + " attempts");
        } catch (IOException | RuntimeException e) {
            killGroup(process);
            process.destroyForcibly();
            throw e;
        } finally {
            deadline.cancel(false);
            for (Arena a : unused) a.close();
        }
    }

    private static byte[] readExactly(InputStream in, int n, Process process, String what) throws IOException {
        byte[] out = in.readNBytes(n);
        if (out.length < n) throw new IOException("the isolated host ended during " + what + ": " + ended(process));
        return out;
    }

    /** The shared region, mapped at the same address in the host. */
    MemorySegment region() {
        return region;
    }

    /**
     * Sends a request (filled in the region's control block); false when the host ended. While
     * the host works, the engine watches the host's reply counter for up to {@link #SPIN_NANOS}
     * before blocking on the pipe: a short call then costs the host's wake-up, not also the
     * engine's. The reply byte is read either way (it is the end-of-host signal too).
     */
    boolean request() {
        long expected = (long) REPLIES.getAcquire(region, Region.REPLIES) + 1;
        try {
            requests.write(1);
            requests.flush();
            long deadline = System.nanoTime() + SPIN_NANOS;
            while ((long) REPLIES.getAcquire(region, Region.REPLIES) < expected && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            int reply = replies.read();
            if (reply == 'r') return true;
            if (reply != -1) kill(); // not the protocol: the library wrote to the host's pipe
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** Ends the host at once (the watchdog's tool); the pending {@link #request} returns false. */
    void kill() {
        killed = true;
        killGroup(process);
        process.destroyForcibly();
    }

    /**
     * Ends the host's process group: the host and whatever the library forked (the host made
     * itself the group's leader). A process that left the group on purpose is not reached.
     */
    private static void killGroup(Process process) {
        try {
            int ignored = (int) KILL.invokeExact(-(int) process.pid(), SIGKILL);
        } catch (Throwable t) {
            process.destroyForcibly();
        }
    }

    boolean killed() {
        return killed;
    }

    /** How the host ended, e.g. "exit status 3" or "killed by signal 6 (SIGABRT)". */
    String howItEnded() {
        return ended(process);
    }

    private static String ended(Process process) {
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) return "it stopped answering";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while waiting for it";
        }
        int status = process.exitValue();
        if (status > 128) {
            int signal = status - 128;
            return "killed by signal " + signal + signalName(signal);
        }
        return "exit status " + status;
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 6 -> " (SIGABRT)";
            case 9 -> " (SIGKILL)";
            case 11 -> " (SIGSEGV)";
            case 15 -> " (SIGTERM)";
            default -> "";
        };
    }

    /**
     * Ends the host and its process group (it has nothing to save: State lives in the region
     * and shutdown hooks already ran), then unmaps the region.
     */
    @Override
    public void close() {
        killGroup(process);
        process.destroyForcibly();
        try {
            process.waitFor(1, TimeUnit.SECONDS);
            requests.close();
            replies.close();
        } catch (IOException e) {
            // the pipes of a process that is gone: nothing to release beyond what close did
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        arena.close();
    }
}
