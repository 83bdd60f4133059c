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
 * (the JIT compiler and GC threads included, whatever ran in the window). Outside valgrind
 * the client requests do nothing, so the same class drives {@code perf record} runs.
 */
public final class InstructionCount {
    private InstructionCount() {}

    public static void main(String[] args) throws Throwable {
        String name = args[0];
        int n = Integer.parseInt(args[1]);
        int warm = Integer.parseInt(args[2]);
        int frames = Integer.parseInt(args[3]);
        // Optional 5th argument: another workload (e.g. W2, for a `perf record` of its native side).
        Workload workload = args.length > 4 ? Workload.valueOf(args[4]) : Workload.W1;
        try (Arena arena = Arena.ofConfined(); Impl impl = Impl.create(name, workload, n)) {
            SymbolLookup lib = SymbolLookup.libraryLookup(CompareSupport.callgrindControl(), arena);
            Linker linker = Linker.nativeLinker();
            MethodHandle start = linker.downcallHandle(lib.find("cg_start").orElseThrow(), FunctionDescriptor.ofVoid());
            MethodHandle stop = linker.downcallHandle(lib.find("cg_stop").orElseThrow(), FunctionDescriptor.ofVoid());
            for (int f = 0; f < warm; f++) impl.frame();
            start.invokeExact();
            for (int f = 0; f < frames; f++) impl.frame();
            stop.invokeExact();
            impl.requireHealthy();
            System.out.println("measured " + frames + " frames of " + workload + " over " + n + " entities with " + name);
        }
    }
}
