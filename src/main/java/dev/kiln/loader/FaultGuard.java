package dev.kiln.loader;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.abi.GuardFaultLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The process-wide fault guard (native/kiln_guard.c): script batch calls go through it so that a
 * panic, a crash (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP) or a hang stopped by the watchdog
 * returns KILN_ERR_FAULT with a description instead of ending the process. Signal handlers are
 * process-wide, so there is one guard per process and its library is never unloaded.
 */
public final class FaultGuard {
    public static final int STATUS_FAULT = 12;
    public static final int STATUS_RUNNING = -1;

    /** What kind of fault stopped a call. */
    public enum Kind {
        NONE, PANIC, SIGNAL, TIMEOUT,
        /** An isolated library's host process ended during the call (exit, abort, a kill). */
        HOST_ENDED;

        /**
         * True when the whole library must stop: after a timeout it may have been stopped
         * holding anything; after its host process ended there is nothing left to call.
         */
        public boolean stopsLibrary() {
            return this == TIMEOUT || this == HOST_ENDED;
        }
    }

    /** A contained fault, as the guard recorded it. */
    public record Fault(Kind kind, int signal, long address, long pc, String message, String symbol,
                        List<String> trace) {
        /** "panic: integer overflow in update (libx.so+0x1a2b)" and the like. */
        public String describe() {
            String where = symbol.isEmpty() ? "" : " in " + headlineSymbol();
            return switch (kind) {
                case PANIC -> "panic: " + message + where;
                case SIGNAL -> signalName(signal) + (signal == 11 || signal == 7 ? " at address 0x" + Long.toHexString(address) : "") + where;
                case TIMEOUT -> "stopped by the watchdog (over its time budget)" + where;
                case HOST_ENDED -> message;
                case NONE -> "no fault";
            };
        }

        /**
         * dladdr names only exported symbols, so the guard may record "? (lib.so+0x2dcc)" while
         * the trace, named from the full symbol table, knows the function: the headline takes
         * the innermost named frame's function and keeps the guard's library+offset.
         */
        private String headlineSymbol() {
            if (!symbol.startsWith("?")) return symbol;
            for (String frame : trace) {
                if (frame.startsWith("0x") || frame.startsWith("(")) continue; // unnamed, or no trace
                int end = frame.indexOf(" + ");
                if (end < 0) end = frame.indexOf(" (");
                String function = end < 0 ? frame : frame.substring(0, end);
                return function + symbol.substring(1);
            }
            return symbol;
        }

        private static String signalName(int signal) {
            return switch (signal) {
                case 11 -> "SIGSEGV (invalid memory access)";
                case 7 -> "SIGBUS (bus error)";
                case 8 -> "SIGFPE (arithmetic fault)";
                case 4 -> "SIGILL (illegal instruction, e.g. @trap)";
                case 5 -> "SIGTRAP (breakpoint)";
                default -> "signal " + signal;
            };
        }
    }

    private static final long FAULT_BYTES = GuardFaultLayout.LAYOUT.byteSize();
    private static final int TRACE_MAX = GuardFaultLayout.TRACE_MAX;
    private static final long TRACE_COUNT_AT = GuardFaultLayout.TRACE_COUNT, TRACE_AT = GuardFaultLayout.TRACE;
    private static final Linker LINKER = Linker.nativeLinker();
    /** The process's guard once installed: signal handlers are process-wide, so there is one. */
    private static FaultGuard installed;

    private final MethodHandle call;
    private final MethodHandle prepareThread;
    private final MethodHandle currentThread;
    private final MethodHandle interrupt;
    private final MethodHandle locate;
    private final MethodHandle callGeneric;
    private final MemorySegment panicHook;
    /** The guard's library: it also holds the engine-owned container memory (NativeHeap). */
    private final SymbolLookup symbols;
    private final ThreadLocal<MemorySegment> faultBlock =
            ThreadLocal.withInitial(() -> Arena.global().allocate(FAULT_BYTES, 8));
    private final ThreadLocal<Long> preparedThread = new ThreadLocal<>();

    private FaultGuard(SymbolLookup lookup) {
        symbols = lookup;
        call = LINKER.downcallHandle(lookup.find("kiln_guard_call").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
        prepareThread = LINKER.downcallHandle(lookup.find("kiln_guard_prepare_thread").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT));
        currentThread = LINKER.downcallHandle(lookup.find("kiln_guard_current_thread").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG));
        interrupt = LINKER.downcallHandle(lookup.find("kiln_guard_interrupt").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        panicHook = lookup.find("kiln_guard_panic").orElseThrow();
        callGeneric = LINKER.downcallHandle(lookup.find("kiln_guard_call_generic").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS));
        locate = LINKER.downcallHandle(lookup.find("kiln_guard_locate").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG));
    }

    /**
     * Loads the guard library (once per process; later calls return the first guard) and
     * installs its signal handlers. The engine that asks owns the returned guard and hands it
     * to what calls scripts; nothing reads it from here.
     */
    public static FaultGuard install(Path library) {
        return install(() -> library);
    }

    /**
     * The same, with the library built or located by {@code library} only when this process has
     * no guard yet (a second engine skips the build); {@code library} returns null when it could
     * not, and so does this (no guard installed).
     */
    public static synchronized FaultGuard install(Supplier<Path> library) {
        if (installed != null) return installed;
        Path path = library.get();
        return path == null ? null : load(path);
    }

    private static FaultGuard load(Path library) {
        SymbolLookup lookup = SymbolLookup.libraryLookup(library, Arena.global()); // never unloaded
        MethodHandle installHandlers = LINKER.downcallHandle(lookup.find("kiln_guard_install").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT));
        try {
            if ((int) installHandlers.invokeExact() != 0) throw new IllegalStateException("sigaction failed");
            // A script calling exit() or abort() in the engine's process still ends it, but says who.
            MethodHandle watchExits = LINKER.downcallHandle(lookup.find("kiln_guard_watch_exits").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT));
            if ((int) watchExits.invokeExact() != 0) throw new IllegalStateException("atexit or sigaction failed");
        } catch (Throwable t) {
            throw new IllegalStateException("cannot install the fault guard from " + library, t);
        }
        installed = new FaultGuard(lookup);
        return installed;
    }

    /**
     * Whether this process has the guard's signal handlers: a fact about the process (every
     * signal, the JVM's own included, passes them first) for a benchmark that must measure
     * without them. Script calls get their guard from their engine, never from here.
     */
    public static synchronized boolean handlersInstalled() {
        return installed != null;
    }

    /** The engine library's symbols (fault guard and kiln_heap). */
    SymbolLookup symbols() {
        return symbols;
    }

    /** What kiln_frame.panic points to. */
    public MemorySegment panicHook() {
        return panicHook;
    }

    /**
     * Calls the batch function at {@code function}; returns its status, or STATUS_FAULT with
     * {@link #lastFault()} describing what happened.
     */
    public int call(MemorySegment function, MemorySegment frame, MemorySegment items, int count) {
        MemorySegment fault = faultBlock.get();
        try {
            return (int) call.invokeExact(function, frame, items, count, fault);
        } catch (Throwable t) {
            throw new IllegalStateException("guarded call failed", t);
        }
    }

    /**
     * Calls a hook of another signature (up to four integer or pointer arguments) under the
     * guard; returns its status or STATUS_FAULT.
     */
    public int callGeneric(MemorySegment function, long a0, long a1, long a2, long a3) {
        try {
            return (int) callGeneric.invokeExact(function, a0, a1, a2, a3, faultBlock.get());
        } catch (Throwable t) {
            throw new IllegalStateException("guarded call failed", t);
        }
    }

    /** The fault of this thread's last call that returned STATUS_FAULT. */
    public Fault lastFault() {
        MemorySegment f = faultBlock.get();
        return read(f, trace(f));
    }

    /**
     * A kiln_guard_fault (native/kiln_guard.h) as a {@link Fault}, with its trace already named
     * by the caller. The isolated host fills the same struct in its shared region.
     */
    public static Fault read(MemorySegment f, List<String> trace) {
        int kind = f.get(JAVA_INT, GuardFaultLayout.KIND);
        return new Fault(kind >= 0 && kind <= Kind.TIMEOUT.ordinal() ? Kind.values()[kind] : Kind.NONE,
                f.get(JAVA_INT, GuardFaultLayout.SIGNAL), f.get(JAVA_LONG, GuardFaultLayout.ADDRESS),
                f.get(JAVA_LONG, GuardFaultLayout.PC), cString(f.asSlice(GuardFaultLayout.MESSAGE, GuardFaultLayout.TEXT_BYTES)),
                cString(f.asSlice(GuardFaultLayout.SYMBOL, GuardFaultLayout.TEXT_BYTES)), trace);
    }

    /**
     * The NUL-terminated text in {@code field}, or all of it when it has no NUL: an isolated
     * host's fault block is memory the script could have written anything into.
     */
    public static String cString(MemorySegment field) {
        byte[] bytes = field.toArray(ValueLayout.JAVA_BYTE); // one read: the host may still write
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) end++;
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** Return addresses of a kiln_guard_fault's trace, innermost first. */
    public static long[] traceAddresses(MemorySegment f) {
        int count = Math.min(TRACE_MAX, Math.max(0, f.get(JAVA_INT, TRACE_COUNT_AT)));
        long[] out = new long[count];
        for (int i = 0; i < count; i++) out[i] = f.get(JAVA_LONG, TRACE_AT + 8L * i);
        return out;
    }

    /**
     * The name of the function at {@code offset} in {@code library}, or null when it is SDK
     * machinery a script author need not see (the panic handler, std.debug).
     */
    public static String traceName(Path library, long offset) {
        String name = ElfSymbols.of(library).nameAt(offset - 1); // -1: inside the call
        if (name != null && (name.startsWith("panic.") || name.startsWith("debug."))) return null;
        return name == null ? "0x" + Long.toHexString(offset) : name;
    }

    /**
     * The fault's stack inside script libraries, innermost first, named from each library's
     * symbol table: "faulty.update + 0x1c (libfaulty-ab12.so)". Frames of the guard, the
     * engine and the JVM are left out.
     */
    private List<String> trace(MemorySegment f) {
        List<String> out = new ArrayList<>();
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment path = scratch.allocate(4096);
            for (long address : traceAddresses(f)) {
                long base = (long) locate.invokeExact(address, path, 4096L);
                if (base == 0) continue;
                Path library = Path.of(path.getString(0));
                String file = library.getFileName().toString();
                if (file.startsWith("libkiln_guard") || !file.endsWith(".so") || file.startsWith("libjvm")
                        || file.startsWith("libc.")) continue;
                String name = traceName(library, address - base);
                if (name != null) out.add(name + " (" + file + ")");
            }
        } catch (Throwable t) {
            out.add("(stack trace unavailable: " + t + ")");
        }
        return List.copyOf(out);
    }

    /** The native id of the calling thread, after giving it an alternate signal stack. */
    public long prepareCurrentThread() {
        Long id = preparedThread.get();
        if (id != null) return id;
        try {
            if ((int) prepareThread.invokeExact() != 0) throw new IllegalStateException("sigaltstack failed");
            long thread = (long) currentThread.invokeExact();
            preparedThread.set(thread);
            return thread;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot prepare thread for guarded calls", t);
        }
    }

    /** Stops a call stuck on {@code thread} (the watchdog's tool). */
    public void interrupt(long thread) {
        try {
            int unused = (int) interrupt.invokeExact(thread);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot interrupt thread", t);
        }
    }
}
