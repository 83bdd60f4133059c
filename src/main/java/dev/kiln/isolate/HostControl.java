package dev.kiln.isolate;

import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.abi.GuardFaultLayout;
import dev.kiln.abi.Layouts;
import java.lang.foreign.StructLayout;

/**
 * kiln_host_control (native/kiln_host.h): the control block at offset 0 of an isolated host's
 * shared region, through which the engine asks for calls and the host answers. AbiMirrorTest
 * checks this layout against the header as the C compiler lays it out.
 */
public final class HostControl {
    /** Bytes of the host's load-error text. */
    static final int ERROR_TEXT_BYTES = 1024;

    public static final StructLayout LAYOUT = structLayout(
            JAVA_INT.withName("magic"),
            JAVA_INT.withName("version"),
            JAVA_INT.withName("op"),
            JAVA_INT.withName("function"),
            sequenceLayout(4, JAVA_LONG).withName("args"),
            JAVA_INT.withName("status"),
            JAVA_INT.withName("exports"),
            JAVA_LONG.withName("info"),
            JAVA_LONG.withName("library_base"),
            JAVA_LONG.withName("replies"),
            sequenceLayout(6, JAVA_LONG).withName("reserved"),
            sequenceLayout(ERROR_TEXT_BYTES, JAVA_BYTE).withName("error"),
            GuardFaultLayout.LAYOUT.withName("fault")).withName("kiln_host_control");

    private HostControl() {}

    static long offset(String field) {
        return Layouts.offset(LAYOUT, field);
    }
}
