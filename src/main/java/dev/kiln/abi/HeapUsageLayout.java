package dev.kiln.abi;

import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.StructLayout;

/**
 * kiln_heap_usage (native/kiln_heap.h), one instance's container-memory bookkeeping the engine
 * reads after kiln_heap_usage_of: bytes in use and budget (bytes), live blocks, refused reserve
 * calls and the bytes the last one asked for. Private to the engine and its native code;
 * AbiMirrorTest checks it against the header as the C compiler lays it out.
 */
public final class HeapUsageLayout {
    public static final StructLayout LAYOUT = structLayout(
            JAVA_LONG.withName("used_bytes"),
            JAVA_LONG.withName("budget_bytes"),
            JAVA_INT.withName("blocks"),
            JAVA_INT.withName("refused"),
            JAVA_LONG.withName("refused_bytes")).withName("kiln_heap_usage");

    public static final long USED_BYTES = Layouts.offset(LAYOUT, "used_bytes");
    public static final long BUDGET_BYTES = Layouts.offset(LAYOUT, "budget_bytes");
    public static final long BLOCKS = Layouts.offset(LAYOUT, "blocks");
    public static final long REFUSED = Layouts.offset(LAYOUT, "refused");
    public static final long REFUSED_BYTES = Layouts.offset(LAYOUT, "refused_bytes");

    private HeapUsageLayout() {}
}
