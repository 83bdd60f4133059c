package dev.kiln.abi;

import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.StructLayout;

/**
 * kiln_lane_binding (native/kiln_signals.h): a phase's signal lane as the native apply pass takes
 * it, the lane's entries and each instance's kiln_lane_part address in canonical order. Private to
 * the engine and its native code; AbiMirrorTest checks it against the header.
 */
public final class LaneBindingLayout {
    public static final StructLayout LAYOUT = structLayout(
            ADDRESS.withName("entries"),
            ADDRESS.withName("parts"),
            JAVA_INT.withName("capacity"),
            JAVA_INT.withName("count"),
            JAVA_LONG.withName("reserved0")).withName("kiln_lane_binding");

    public static final long ENTRIES = Layouts.offset(LAYOUT, "entries");
    public static final long PARTS = Layouts.offset(LAYOUT, "parts");
    public static final long CAPACITY = Layouts.offset(LAYOUT, "capacity");
    public static final long COUNT = Layouts.offset(LAYOUT, "count");

    private LaneBindingLayout() {}
}
