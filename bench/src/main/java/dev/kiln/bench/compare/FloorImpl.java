package dev.kiln.bench.compare;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The W1 floor: floor_w1.zig (the same compare_logic.zig loop over plain arrays, no engine),
 * one FFM downcall per frame. An empty downcall is 10–14 ns, so over 1,000+ entities this is
 * the loop's own cost; the standalone program floor_w1_main.zig cross-checks it.
 */
final class FloorImpl implements Impl {
    private static final long MOVER_BYTES = 12;

    private final Arena arena = Arena.ofShared();
    private final MethodHandle frame;
    private final MemorySegment movers;
    private final MemorySegment positions;
    private final int n;

    FloorImpl(int n) {
        this.n = n;
        SymbolLookup lib = SymbolLookup.libraryLookup(CompareSupport.floorLibrary(), arena);
        Linker linker = Linker.nativeLinker();
        frame = linker.downcallHandle(lib.find("floor_w1_frame").orElseThrow(),
                FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, JAVA_INT, JAVA_FLOAT));
        MethodHandle init = linker.downcallHandle(lib.find("floor_w1_init").orElseThrow(),
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT));
        movers = arena.allocate(MOVER_BYTES * n, 8);
        positions = arena.allocate(12L * n, 8);
        for (int i = 0; i < n; i++) {
            positions.setAtIndex(JAVA_FLOAT, i * 3L, CompareSupport.gridX(i, n));
            positions.setAtIndex(JAVA_FLOAT, i * 3L + 2, CompareSupport.gridZ(i, n));
        }
        try {
            init.invokeExact(movers, n);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void frame() {
        try {
            frame.invokeExact(movers, positions, n, CompareSupport.DT_F);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public float[] positions() {
        return positions.toArray(JAVA_FLOAT);
    }

    @Override
    public void close() {
        arena.close();
    }
}
