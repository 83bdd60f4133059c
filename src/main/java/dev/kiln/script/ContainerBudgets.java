package dev.kiln.script;

import dev.kiln.loader.ContainerMemory;
import dev.kiln.loader.NativeHeap;
import dev.kiln.loader.ScriptCode;
import dev.kiln.state.ContainerStore;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each script instance's containers (kiln.List / String / Map elements) live and how much
 * of that memory it may hold: an isolated library's own host memory, else the engine's heap;
 * per-script budgets over a default (docs/scripting.md, "Memory in scripts"). Frame thread.
 */
final class ContainerBudgets {
    /** Engine-owned container memory (null when the engine library is not loaded: scripts run unguarded). */
    private final NativeHeap heap;
    private long defaultBudget = ScriptRuntime.DEFAULT_MEMORY_BUDGET_BYTES;
    /** Memory budgets of particular scripts, by name (a scene's "memory_budget"). */
    private final Map<String, Long> scriptBudgets = new HashMap<>();

    ContainerBudgets(NativeHeap heap) {
        this.heap = heap;
    }

    /** The engine's heap, or null. */
    NativeHeap heap() {
        return heap;
    }

    /** Where a library's instances keep their containers: its own (an isolated host's), else the engine's heap; null without either. */
    ContainerMemory memoryOf(ScriptCode code) {
        ContainerMemory own = code.containerMemory();
        return own != null ? own : heap;
    }

    ContainerMemory memoryOf(ScriptInstance i) {
        return memoryOf(i.library().code());
    }

    /** Bytes of container memory one instance of script {@code name} may hold. */
    long budgetOf(String name) {
        Long own = scriptBudgets.get(name);
        return own != null ? own : defaultBudget;
    }

    /** The budget of scripts without one of their own (bytes, at least 0), applied to {@code all}. */
    void setDefault(long bytes, Iterable<ScriptInstance> all) {
        requireNotNegative(bytes);
        defaultBudget = bytes;
        for (ScriptInstance i : all) apply(i);
    }

    /** Script {@code name}'s budget (null: the default again), applied to its instances among {@code all}. */
    void setFor(String name, Long bytes, Iterable<ScriptInstance> all) {
        if (bytes == null) scriptBudgets.remove(name);
        else {
            requireNotNegative(bytes);
            scriptBudgets.put(name, bytes);
        }
        for (ScriptInstance i : all) if (i.scriptName().equals(name)) apply(i);
    }

    /** Tells {@code i}'s memory its budget (after an attach, or a move to another host). */
    void apply(ScriptInstance i) {
        ContainerMemory m = memoryOf(i);
        if (m != null) m.setBudget(i.id(), budgetOf(i.scriptName()));
    }

    /** Frees an instance's containers: it is gone (detached, its shutdown has run). */
    void free(ScriptInstance i) {
        ContainerMemory m = memoryOf(i);
        if (m != null) m.freeInstance(i.id());
    }

    /** An instance's container memory now: bytes, budget, live containers (zeros without memory). */
    NativeHeap.Usage usage(ScriptInstance i) {
        ContainerMemory m = memoryOf(i);
        return m == null ? new NativeHeap.Usage(0, budgetOf(i.scriptName()), 0, 0, 0) : m.usage(i.id());
    }

    /** A read-only view of {@code memory}'s containers (null memory: no container has elements). */
    static ContainerStore reader(ContainerMemory memory) {
        return new ContainerStore() {
            public byte[] elements(long handle, int elemSize) {
                return memory == null ? null : memory.elements(handle, elemSize);
            }

            public long replace(long handle, int elemSize, int count, byte[] bytes) {
                throw new UnsupportedOperationException("a reader does not change containers");
            }
        };
    }

    /** Frees the engine heap: every instance's containers, detached or not. */
    void close() {
        if (heap != null) heap.close();
    }

    private static void requireNotNegative(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("a memory budget cannot be negative, found " + bytes);
    }
}
