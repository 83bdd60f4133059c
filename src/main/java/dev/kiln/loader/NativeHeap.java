package dev.kiln.loader;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.abi.HeapUsageLayout;
import dev.kiln.abi.Layouts;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Engine-owned memory for the containers scripts keep in State (kiln.List, kiln.String):
 * native/kiln_heap.c, built into the fault guard's library. Scripts reach it through
 * kiln_frame.heap; the engine frees an instance's blocks when it detaches, migrates their
 * elements on a hot reload, and reads their sizes for the inspector. One per ScriptRuntime.
 * Frame thread only, like the scripts that use it.
 */
public final class NativeHeap implements AutoCloseable, ContainerMemory {
    /** sizeof(kiln_block) and the offsets the engine reads (abi/kiln.h), from the checked layouts. */
    static final long BLOCK_BYTES = Layouts.BLOCK.byteSize();
    private static final long HEAP_BLOCKS = Layouts.offset(Layouts.HEAP, "blocks"),
            HEAP_BLOCK_COUNT = Layouts.offset(Layouts.HEAP, "block_count");
    private static final long BLOCK_DATA = Layouts.offset(Layouts.BLOCK, "data"),
            BLOCK_LEN = Layouts.offset(Layouts.BLOCK, "len"), BLOCK_CAPACITY = Layouts.offset(Layouts.BLOCK, "capacity"),
            BLOCK_ELEM_SIZE = Layouts.offset(Layouts.BLOCK, "elem_size"),
            BLOCK_OWNER = Layouts.offset(Layouts.BLOCK, "owner"),
            BLOCK_GENERATION = Layouts.offset(Layouts.BLOCK, "generation");
    /** sizeof(kiln_heap_usage) (native/kiln_heap.h). */
    private static final long USAGE_BYTES = HeapUsageLayout.LAYOUT.byteSize();
    private static final Linker LINKER = Linker.nativeLinker();

    /** An instance's container memory: capacity bytes in use, its budget, live blocks, refusals. */
    public record Usage(long usedBytes, long budgetBytes, int blocks, int refused, long refusedBytes) {}

    /** One live block (a container's elements): what a kiln_handle in a State names. */
    public record Block(int id, int generation, int len, int capacity, int elemSize, int owner) {}

    private final MemorySegment heap;
    private final MethodHandle destroy, setBudget, usageOf, freeInstance, freeBlock, replace, totalBytes, liveBlocks,
            scratchReset, takeRefusals, adopt;
    /** Instances refused for their budget read per call of {@link #takeRefusals} (kiln_heap.c keeps 64). */
    /** Instances one {@link #takeRefusals} lists at most (the C heap's REFUSALS_MAX); more are counted. */
    public static final int REFUSALS_MAX = 64;
    private final MemorySegment refusalIds;
    /** The count past the listed ones, the last int of {@link #refusalIds}. */
    private final MemorySegment refusalUnlisted;
    /** What {@link #takeRefusals} returns when no instance was refused (an isolated host's too): read only. */
    public static final Refusals NO_REFUSALS = new Refusals(new int[0], 0);
    private final Arena scratch = Arena.ofShared(); // the engine may be built on one thread, run on another
    private final MemorySegment usage = scratch.allocate(USAGE_BYTES, 8);
    private boolean closed;

    private NativeHeap(SymbolLookup lib, long defaultBudget) {
        MethodHandle create = handle(lib, "kiln_heap_create", FunctionDescriptor.of(ADDRESS, JAVA_LONG));
        destroy = handle(lib, "kiln_heap_destroy", FunctionDescriptor.ofVoid(ADDRESS));
        setBudget = handle(lib, "kiln_heap_set_budget", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_LONG));
        usageOf = handle(lib, "kiln_heap_usage_of", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
        freeInstance = handle(lib, "kiln_heap_free_instance", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        freeBlock = handle(lib, "kiln_heap_free_block", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT));
        replace = handle(lib, "kiln_heap_replace", FunctionDescriptor.of(JAVA_INT, ADDRESS, Layouts.HANDLE, JAVA_INT, JAVA_INT, ADDRESS));
        totalBytes = handle(lib, "kiln_heap_total_bytes", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        liveBlocks = handle(lib, "kiln_heap_live_blocks", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        scratchReset = handle(lib, "kiln_heap_scratch_reset", FunctionDescriptor.ofVoid(ADDRESS));
        takeRefusals = handle(lib, "kiln_heap_take_refusals", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
        refusalIds = scratch.allocate(4L * (REFUSALS_MAX + 1), 8);
        refusalUnlisted = refusalIds.asSlice(4L * REFUSALS_MAX, 4);
        adopt = handle(lib, "kiln_heap_adopt", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        staticScratchReset = scratchReset;
        try {
            MemorySegment h = (MemorySegment) create.invokeExact(defaultBudget);
            if (h.equals(MemorySegment.NULL)) throw new IllegalStateException("kiln_heap_create: out of memory");
            heap = h.reinterpret(Layouts.HEAP.byteSize());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * A heap in {@code guard}'s library whose instances may each hold {@code defaultBudget} bytes,
     * or null when there is no guard (the engine library is not loaded: scripts run unguarded,
     * and containers answer OutOfMemory).
     */
    public static NativeHeap create(FaultGuard guard, long defaultBudget) {
        if (guard == null || guard.symbols().find("kiln_heap_create").isEmpty()) return null;
        return new NativeHeap(guard.symbols(), defaultBudget);
    }

    /** What kiln_frame.heap points to. */
    public MemorySegment pointer() {
        return heap;
    }

    @Override
    public void setBudget(int instance, long bytes) {
        try {
            setBudget.invokeExact(heap, instance, bytes);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public Usage usage(int instance, boolean clearRefused) {
        try {
            int found = (int) usageOf.invokeExact(heap, instance, usage, clearRefused ? 1 : 0);
            if (found == 0) return new Usage(0, 0, 0, 0, 0);
            return new Usage(usage.get(JAVA_LONG, HeapUsageLayout.USED_BYTES),
                    usage.get(JAVA_LONG, HeapUsageLayout.BUDGET_BYTES), usage.get(JAVA_INT, HeapUsageLayout.BLOCKS),
                    usage.get(JAVA_INT, HeapUsageLayout.REFUSED), usage.get(JAVA_LONG, HeapUsageLayout.REFUSED_BYTES));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Instances refused for their budget since the last call, and how many more were not listed. */
    public record Refusals(int[] instances, int unlisted) {}

    @Override
    public Refusals takeRefusals() {
        try {
            int n = (int) takeRefusals.invokeExact(heap, refusalIds, REFUSALS_MAX, refusalUnlisted);
            int more = refusalUnlisted.get(JAVA_INT, 0);
            if (n == 0 && more == 0) return NO_REFUSALS; // every barrier asks: no garbage when none
            int[] ids = new int[n];
            for (int k = 0; k < n; k++) ids[k] = refusalIds.getAtIndex(JAVA_INT, k);
            return new Refusals(ids, more);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public Usage usage(int instance) {
        return usage(instance, false);
    }

    /** Frees every block of {@code instance}. */
    @Override
    public void freeInstance(int instance) {
        try {
            int blocks = (int) freeInstance.invokeExact(heap, instance); // invokeExact needs the C return type
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void freeBlock(int id) {
        try {
            freeBlock.invokeExact(heap, id);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Replaces a block's elements (reload migration); the kiln_status code. */
    public int replace(Block block, int elemSize, int len, byte[] bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment data = a.allocate(Math.max(1, bytes.length), 16);
            MemorySegment.copy(bytes, 0, data, JAVA_BYTE, 0, bytes.length);
            MemorySegment handle = a.allocate(Layouts.HANDLE);
            handle.set(JAVA_INT, 0, block.id());
            handle.set(JAVA_INT, 4, block.generation());
            return (int) replace.invokeExact(heap, handle, elemSize, len, data);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public long totalBytes() {
        try {
            return (long) totalBytes.invokeExact(heap);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int liveBlocks() {
        try {
            return (int) liveBlocks.invokeExact(heap);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Takes back the scratch memory scripts took in the call that just ended. */
    public void scratchReset() {
        try {
            scratchReset.invokeExact(heap);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static final long FRAME_HEAP = Layouts.offset(Layouts.FRAME, "heap");
    /**
     * kiln_heap_scratch_reset, set by every heap made (the engine library is loaded once per
     * process, so each sets the same function): a frame names a heap only after one was made.
     */
    private static volatile MethodHandle staticScratchReset;

    /**
     * After every batch call: takes back the scratch memory (ctx.frameAllocator()) the call took
     * from the heap its frame names; nothing when the frame has none.
     */
    static void afterCall(MemorySegment frame) {
        MemorySegment h = frame.reinterpret(Layouts.FRAME.byteSize()).get(ADDRESS, FRAME_HEAP);
        if (h.equals(MemorySegment.NULL)) return;
        MethodHandle reset = staticScratchReset;
        if (reset == null) return; // no heap made yet: the frame's pointer cannot be one
        try {
            reset.invokeExact(h);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The live block a handle (id, generation) names, or null when it is empty or stale. */
    public Block block(int id, int generation) {
        int count = heap.get(JAVA_INT, HEAP_BLOCK_COUNT);
        if (id <= 0 || id >= count) return null;
        MemorySegment b = table(count).asSlice(id * BLOCK_BYTES, BLOCK_BYTES);
        if (b.get(JAVA_INT, BLOCK_GENERATION) != generation || b.get(JAVA_INT, BLOCK_OWNER) == 0) return null;
        return read(id, b);
    }

    /** Every live block of {@code instance}, by id. */
    public List<Block> blocksOf(int instance) {
        int count = heap.get(JAVA_INT, HEAP_BLOCK_COUNT);
        MemorySegment table = table(count);
        List<Block> out = new ArrayList<>();
        for (int id = 1; id < count; id++) {
            MemorySegment b = table.asSlice(id * BLOCK_BYTES, BLOCK_BYTES);
            if (b.get(JAVA_INT, BLOCK_OWNER) == instance && instance != 0) out.add(read(id, b));
        }
        return out;
    }

    /** Every live block, by owning instance id. */
    public Map<Integer, List<Block>> blocksByOwner() {
        int count = heap.get(JAVA_INT, HEAP_BLOCK_COUNT);
        MemorySegment table = table(count);
        Map<Integer, List<Block>> out = new HashMap<>();
        for (int id = 1; id < count; id++) {
            MemorySegment b = table.asSlice(id * BLOCK_BYTES, BLOCK_BYTES);
            int owner = b.get(JAVA_INT, BLOCK_OWNER);
            if (owner != 0) out.computeIfAbsent(owner, o -> new ArrayList<>()).add(read(id, b));
        }
        return out;
    }

    @Override
    public Block block(long handle) {
        return block((int) handle, (int) (handle >>> 32));
    }

    @Override
    public byte[] elements(long handle, int elemSize) {
        Block b = block((int) handle, (int) (handle >>> 32));
        return b == null || b.elemSize() != elemSize ? null : elements(b);
    }

    @Override
    public byte[] elements(long handle, int elemSize, int maxCount) {
        Block b = block(handle);
        if (b == null || b.elemSize() != elemSize) return null;
        Block prefix = new Block(b.id(), b.generation(), Math.min(b.len(), Math.max(0, maxCount)), b.capacity(), b.elemSize(), b.owner());
        return elements(prefix);
    }

    @Override
    public long create(int instance, int elemSize, int count, byte[] bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment data = a.allocate(Math.max(1, bytes.length), 16);
            MemorySegment.copy(bytes, 0, data, JAVA_BYTE, 0, bytes.length);
            MemorySegment out = a.allocate(Layouts.HANDLE);
            int status = (int) adopt.invokeExact(heap, instance, elemSize, count, data, out);
            return status != 0 ? 0 : out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The block's elements in use: len × elem_size bytes. */
    public byte[] elements(Block block) {
        MemorySegment b = table(heap.get(JAVA_INT, HEAP_BLOCK_COUNT)).asSlice(block.id() * BLOCK_BYTES, BLOCK_BYTES);
        long bytes = (long) block.len() * block.elemSize();
        if (bytes == 0) return new byte[0];
        return b.get(ADDRESS, BLOCK_DATA).reinterpret(bytes).toArray(JAVA_BYTE);
    }

    private MemorySegment table(int count) {
        return heap.get(ADDRESS, HEAP_BLOCKS).reinterpret(count * BLOCK_BYTES);
    }

    private static Block read(int id, MemorySegment b) {
        return new Block(id, b.get(JAVA_INT, BLOCK_GENERATION), b.get(JAVA_INT, BLOCK_LEN), b.get(JAVA_INT, BLOCK_CAPACITY),
                b.get(JAVA_INT, BLOCK_ELEM_SIZE), b.get(JAVA_INT, BLOCK_OWNER));
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            destroy.invokeExact(heap);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            scratch.close();
        }
    }

    private static MethodHandle handle(SymbolLookup lib, String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(lib.find(name).orElseThrow(() -> new IllegalStateException(
                "the engine library has no " + name + ": rebuild it (native/kiln_heap.c)")), fd);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
