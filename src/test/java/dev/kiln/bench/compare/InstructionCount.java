package dev.kiln.bench.compare;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * Run under callgrind by CompareInstructions: {@code impl n warmFrames frames}. Runs the W1
 * warm-up frames uninstrumented (so the JIT has compiled the loop), then brackets
 * {@code frames} frames with callgrind's start/stop-instrumentation client requests (through
 * callgrind_control.zig): the dump holds the instructions of those frames in every thread
 * (the JIT compiler and GC threads included, whatever ran in the window).
 */
public final class InstructionCount {
    private InstructionCount() {}

    public static void main(String[] args) throws Throwable {
        String name = args[0];
        int n = Integer.parseInt(args[1]);
        int warm = Integer.parseInt(args[2]);
        int frames = Integer.parseInt(args[3]);
        try (Arena arena = Arena.ofConfined(); Impl impl = Impl.create(name, Workload.W1, n)) {
            SymbolLookup lib = SymbolLookup.libraryLookup(CompareSupport.callgrindControl(), arena);
            Linker linker = Linker.nativeLinker();
            MethodHandle start = linker.downcallHandle(lib.find("cg_start").orElseThrow(), FunctionDescriptor.ofVoid());
            MethodHandle stop = linker.downcallHandle(lib.find("cg_stop").orElseThrow(), FunctionDescriptor.ofVoid());
            for (int f = 0; f < warm; f++) impl.frame();
            start.invokeExact();
            for (int f = 0; f < frames; f++) impl.frame();
            stop.invokeExact();
            impl.requireHealthy();
            System.out.println("measured " + frames + " frames of W1 over " + n + " entities with " + name);
        }
    }
}
