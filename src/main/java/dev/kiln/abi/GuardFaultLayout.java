package dev.kiln.abi;

import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.StructLayout;

/**
 * kiln_guard_fault (native/kiln_guard.h), the fault guard's private report to the engine and,
 * inside kiln_host_control, an isolated host's. AbiMirrorTest checks it against the header as
 * the C compiler lays it out.
 */
public final class GuardFaultLayout {
    /** KILN_GUARD_TRACE_MAX: return addresses kept per fault. */
    public static final int TRACE_MAX = 32;
    /** Bytes of each text field (message, symbol). */
    public static final int TEXT_BYTES = 512;

    public static final StructLayout LAYOUT = structLayout(
            JAVA_INT.withName("kind"),
            JAVA_INT.withName("signal"),
            JAVA_LONG.withName("address"),
            JAVA_LONG.withName("pc"),
            sequenceLayout(TEXT_BYTES, JAVA_BYTE).withName("message"),
            sequenceLayout(TEXT_BYTES, JAVA_BYTE).withName("symbol"),
            JAVA_INT.withName("trace_count"),
            JAVA_INT.withName("reserved0"),
            sequenceLayout(TRACE_MAX, JAVA_LONG).withName("trace")).withName("kiln_guard_fault");

    public static final long KIND = Layouts.offset(LAYOUT, "kind");
    public static final long SIGNAL = Layouts.offset(LAYOUT, "signal");
    public static final long ADDRESS = Layouts.offset(LAYOUT, "address");
    public static final long PC = Layouts.offset(LAYOUT, "pc");
    public static final long MESSAGE = Layouts.offset(LAYOUT, "message");
    public static final long SYMBOL = Layouts.offset(LAYOUT, "symbol");
    public static final long TRACE_COUNT = Layouts.offset(LAYOUT, "trace_count");
    public static final long TRACE = Layouts.offset(LAYOUT, "trace");

    private GuardFaultLayout() {}
}
