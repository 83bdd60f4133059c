package dev.kiln.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * This process's native memory, two ways: resident bytes outside the Java heap (every mapping's
 * resident bytes in /proc/self/smaps less those inside the heap's address range, which the
 * garbage collector reports: native allocations, JIT code, metaspace, thread stacks, mapped
 * libraries), and glibc's count of bytes in use by malloc.
 */
public final class ProcessMemory {
    private ProcessMemory() {}

    /** Both measures at one moment, in bytes. */
    public record Reading(long residentOutsideHeap, long mallocated) {}

    /** Readings taken apart by {@link #settled}, of which the lowest of each measure counts. */
    private static final int READINGS = 5;
    /** Spread over HotSpot's chunk-pool cleaning period (5 s), which hands the JIT's idle arenas back. */
    private static final long READING_GAP_MILLIS = 1500;

    /**
     * The lowest of a few readings a moment apart (≈ 6 s in all), each after a GC: the JIT's
     * compiler threads malloc and free arenas of several MiB while they work, which comes and
     * goes, while a leak is in every reading. Calling thread sleeps; any thread.
     */
    public static Reading settled() throws Throwable {
        long resident = Long.MAX_VALUE, mallocated = Long.MAX_VALUE;
        for (int k = 0; k < READINGS; k++) {
            if (k > 0) Thread.sleep(READING_GAP_MILLIS);
            Reading r = now();
            resident = Math.min(resident, r.residentOutsideHeap());
            mallocated = Math.min(mallocated, r.mallocated());
        }
        return new Reading(resident, mallocated);
    }

    /**
     * One reading after a GC and glibc's {@code malloc_trim(0)} (a few ms: reads /proc/self/smaps).
     * The trim hands back pages malloc holds free: the JIT's compiler threads malloc arenas of
     * tens of MiB while they compile and free them after, and glibc keeps such pages resident,
     * so without it the resident figure is the allocator's high-water mark, not what is in use.
     * Blocks still allocated (a leak) stay resident. Any thread.
     */
    public static Reading now() throws Throwable {
        System.gc();
        int ignoredReleasedAny = (int) MALLOC_TRIM.invokeExact(0L);
        return new Reading(residentOutsideHeapBytes(), mallocatedBytes());
    }

    private static final Linker LINKER = Linker.nativeLinker();
    /** int malloc_trim(size_t pad). */
    private static final MethodHandle MALLOC_TRIM = LINKER.downcallHandle(LINKER.defaultLookup().find("malloc_trim").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    /** struct mallinfo2 mallinfo2(void): ten size_t counters. */
    private static final MethodHandle MALLINFO2 = LINKER.downcallHandle(LINKER.defaultLookup().find("mallinfo2").orElseThrow(),
            FunctionDescriptor.of(MemoryLayout.structLayout(MemoryLayout.sequenceLayout(10, ValueLayout.JAVA_LONG))));
    /** mallinfo2's uordblks: bytes handed out and not yet freed. */
    private static final int UORDBLKS = 7;

    private static final Pattern HEAP_RANGE = Pattern.compile("\\[0x([0-9a-f]+), 0x([0-9a-f]+)\\)");
    private static final Pattern MAPPING = Pattern.compile("^([0-9a-f]+)-([0-9a-f]+) ");

    private static long residentOutsideHeapBytes() throws Exception {
        long[] heap = heapRange();
        long total = 0, inHeap = 0, start = 0, end = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            Matcher m = MAPPING.matcher(line);
            if (m.find()) {
                start = Long.parseUnsignedLong(m.group(1), 16);
                end = Long.parseUnsignedLong(m.group(2), 16);
            } else if (line.startsWith("Rss:")) {
                long bytes = Long.parseLong(line.substring(4).trim().split("\\s+")[0]) * 1024;
                total += bytes;
                if (start >= heap[0] && end <= heap[1]) inHeap += bytes;
                else if (start < heap[1] && end > heap[0])
                    throw new IllegalStateException("mapping at 0x" + Long.toHexString(start) + " straddles the heap's bounds");
            }
        }
        return total - inHeap;
    }

    /** The heap's reserved address range [start, end), from the collector's own report (jcmd GC.heap_info). */
    private static long[] heapRange() throws Exception {
        Object info = ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcHeapInfo",
                new Object[] {null}, new String[] {String[].class.getName()});
        Matcher m = HEAP_RANGE.matcher(String.valueOf(info));
        if (!m.find()) throw new IllegalStateException("no heap address range in GC.heap_info: " + info);
        return new long[] {Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16)};
    }

    /** glibc's mallinfo2().uordblks: bytes handed out by malloc and not yet freed. */
    private static long mallocatedBytes() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) MALLINFO2.invokeExact((SegmentAllocator) arena);
            return info.getAtIndex(ValueLayout.JAVA_LONG, UORDBLKS);
        }
    }
}
