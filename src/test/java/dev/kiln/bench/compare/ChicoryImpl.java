package dev.kiln.bench.compare;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.kiln.ecs.Vec3;
import dev.kiln.ecs.World;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * The sandboxed alternative: the same compare_logic.zig compiled to wasm32-freestanding
 * (wasm_compare.zig) and run by Chicory 1.6.1 with its compiler (MachineFactoryCompiler:
 * wasm → JVM bytecode when the module is instantiated; the JIT then compiles that). The host
 * owns the engine's World: it copies positions into the module's memory (W2), calls one
 * export per frame, and applies the offsets the module wrote as translates. W2's neighbour
 * query is a host import, called once per entity.
 */
final class ChicoryImpl implements Impl {
    private final Workload workload;
    private final World world = new World();
    private final long[] handles;
    private final int n;
    private final Instance instance;
    private final Memory memory;
    private final ExportFunction update;
    private final int positionsPtr;
    private final int outPtr;
    private final byte[] outBytes;
    private final byte[] positionBytes;
    private final FloatBuffer outFloats;
    private final FloatBuffer positionFloats;
    private final CompareSupport.Neighbours neighbours = new CompareSupport.Neighbours();
    private final int[] found = new int[64];

    ChicoryImpl(Workload workload, int n) {
        this.workload = workload;
        this.n = n;
        handles = CompareSupport.spawnGrid(world, n);
        WasmModule module = Parser.parse(CompareSupport.wasmModule());
        HostFunction query = new HostFunction("kiln", "query_nearby",
                FunctionType.of(List.of(ValType.I32, ValType.F32, ValType.I32, ValType.I32), List.of(ValType.I32)),
                (inst, args) -> {
                    int count = neighbours.query((int) args[0], Float.intBitsToFloat((int) args[1]), found);
                    int cap = (int) Math.min(count, args[3]);
                    int dst = (int) args[2];
                    for (int k = 0; k < cap; k++) inst.memory().writeI32(dst + 4 * k, found[k]);
                    return new long[] {count};
                });
        instance = Instance.builder(module)
                .withImportValues(ImportValues.builder().addFunction(query).build())
                .withMachineFactory(MachineFactoryCompiler.compile(module))
                .build();
        memory = instance.memory();
        positionsPtr = (int) instance.export("positions_ptr").apply()[0];
        outPtr = (int) instance.export("out_ptr").apply()[0];
        instance.export("movers_init").apply(n);
        update = instance.export(workload == Workload.W1 ? "w1_update" : "w2_update");
        outBytes = new byte[12 * n];
        positionBytes = new byte[12 * n];
        outFloats = ByteBuffer.wrap(outBytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        positionFloats = ByteBuffer.wrap(positionBytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    }

    @Override
    public void frame() {
        if (workload == Workload.W2) {
            neighbours.rebuild(world);
            float[] p = world.rawPositions();
            positionFloats.clear();
            positionFloats.put(p, 0, 3 * n);
            memory.write(positionsPtr, positionBytes);
        }
        update.apply(n, Float.floatToRawIntBits(CompareSupport.DT_F));
        byte[] bytes = memory.readBytes(outPtr, outBytes.length);
        FloatBuffer o = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        for (int i = 0; i < n; i++) {
            world.translate(handles[i], new Vec3(o.get(i * 3), o.get(i * 3 + 1), o.get(i * 3 + 2)));
        }
    }

    @Override
    public float[] positions() {
        return CompareSupport.positions(world);
    }

    @Override
    public void close() {}
}
