package dev.kiln.isolate;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.loader.FaultGuard;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The request protocol over an isolated host's control block (kiln_host_control): writes one
 * request's operation and arguments, waits for the host's answer, and turns what came back into
 * a status — the host's own, or {@link FaultGuard#STATUS_FAULT} with {@link #lastFault()} set
 * for a contained fault (its trace named) or for the host's end. Once the host has ended, every
 * request answers a fault at once: the library is stopped.
 *
 * <p>Used on the thread that calls the library (the frame thread, or the reload thread for a
 * dry run); {@link #stop()} from the watchdog.
 */
final class HostCalls {
    private final HostProcess host;
    private final MemorySegment control;
    private final Path library;
    private final String scriptName;
    private FaultGuard.Fault lastFault;
    private String endedHow;

    HostCalls(HostProcess host, MemorySegment control, Path library, String scriptName) {
        this.host = host;
        this.control = control;
        this.library = library;
        this.scriptName = scriptName;
    }

    /** The control block: a request's arguments and the host's answer (Region's offsets). */
    MemorySegment control() {
        return control;
    }

    /** True once the host has ended: no request reaches it any more. */
    boolean ended() {
        return endedHow != null;
    }

    /**
     * Sends the request whose arguments are already in the control block ({@code op},
     * {@code function}); false when the host ended instead of answering.
     */
    boolean send(int op, int function) {
        control.set(JAVA_INT, Region.OP, op);
        control.set(JAVA_INT, Region.FUNCTION, function);
        return host.request();
    }

    /** One KILN_HOST_OP_HOOK call with its four arguments; its status. */
    int hook(int function, long a0, long a1, long a2, long a3) {
        if (ended()) return endedFault();
        setArgs(a0, a1, a2, a3);
        return send(Region.OP_HOOK, function) ? answer() : endedFault();
    }

    /** One KILN_HOST_OP_HEAP request; its status (a fault status when the host is gone). */
    int heap(int function, long a0, long a1, long a2) {
        if (ended()) return endedFault();
        setArgs(a0, a1, a2, 0);
        return send(Region.OP_HEAP, function) ? control.get(JAVA_INT, Region.STATUS) : endedFault();
    }

    /** Argument {@code k} (0–3) of the host's answer. */
    long answerArg(int k) {
        return control.get(JAVA_LONG, Region.ARGS + 8L * k);
    }

    void setArgs(long a0, long a1, long a2, long a3) {
        control.set(JAVA_LONG, Region.ARGS, a0);
        control.set(JAVA_LONG, Region.ARGS + 8, a1);
        control.set(JAVA_LONG, Region.ARGS + 16, a2);
        control.set(JAVA_LONG, Region.ARGS + 24, a3);
    }

    /** The host's status; for a contained fault, the fault with its trace named. */
    int answer() {
        int status = control.get(JAVA_INT, Region.STATUS);
        if (status == FaultGuard.STATUS_FAULT) {
            MemorySegment fault = control.asSlice(Region.FAULT, Region.FAULT_BYTES);
            long base = control.get(JAVA_LONG, Region.LIBRARY_BASE);
            List<String> trace = new ArrayList<>();
            String file = library.getFileName().toString();
            for (long address : FaultGuard.traceAddresses(fault)) {
                String name = base == 0 ? null : FaultGuard.traceName(library, address - base);
                if (name != null) trace.add(name + " (" + file + ", isolated)");
            }
            lastFault = FaultGuard.read(fault, List.copyOf(trace));
        }
        return status;
    }

    /** The host is gone: every call from now on is a fault that stops the library. */
    int endedFault() {
        if (endedHow == null) endedHow = host.howItEnded();
        lastFault = host.killed()
                ? new FaultGuard.Fault(FaultGuard.Kind.TIMEOUT, 0, 0, 0, "", "isolated host of " + library.getFileName(), List.of())
                : new FaultGuard.Fault(FaultGuard.Kind.HOST_ENDED, 0, 0, 0,
                        "the isolated host process of '" + scriptName + "' ended (" + endedHow + ")", "", List.of());
        return FaultGuard.STATUS_FAULT;
    }

    /** The fault of the last call that returned {@link FaultGuard#STATUS_FAULT}. */
    FaultGuard.Fault lastFault() {
        return lastFault;
    }

    /** Stops a call that overran its time (the watchdog): the host is killed. */
    void stop() {
        host.kill();
    }
}
