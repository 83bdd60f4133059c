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
import dev.kiln.ecs.Quat;
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
 * query is a host import, called once per entity; W3's spawn and despawn are host imports
 * (applied at once, as LuaJ's binding does); W4's signals leave through a buffer in the
 * module's memory and come back as one batch of deliveries ({@link #route}). W5 calls one export
 * per phase and applies its output in between, as the engine's barriers do ({@link #layered}).
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
    private final ExportFunction deliver;
    private final int signalTargetPtr;
    private final int signalValuePtr;
    private final int deliveryInstancePtr;
    private final int deliveryValuePtr;
    private long frameIndex;
    private final ExportFunction layerPre;
    private final ExportFunction layerPost;
    private final int resetPtr;

    ChicoryImpl(Workload workload, int n) {
        this.workload = workload;
        this.n = n;
        handles = CompareSupport.spawnGrid(world, workload == Workload.W3 ? Logic.CHURN_SPAWNERS : n);
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
        HostFunction spawn = new HostFunction("kiln", "spawn",
                FunctionType.of(List.of(ValType.F32, ValType.F32, ValType.F32), List.of(ValType.I64)),
                (inst, args) -> new long[] {world.spawn(new Vec3(Float.intBitsToFloat((int) args[0]),
                        Float.intBitsToFloat((int) args[1]), Float.intBitsToFloat((int) args[2])), Quat.IDENTITY, Vec3.ONE)});
        HostFunction despawn = new HostFunction("kiln", "despawn", FunctionType.of(List.of(ValType.I64), List.of()),
                (inst, args) -> {
                    world.despawn(args[0]);
                    return null;
                });
        instance = Instance.builder(module)
                .withImportValues(ImportValues.builder().addFunction(query, spawn, despawn).build())
                .withMachineFactory(MachineFactoryCompiler.compile(module))
                .build();
        memory = instance.memory();
        positionsPtr = (int) instance.export("positions_ptr").apply()[0];
        outPtr = (int) instance.export("out_ptr").apply()[0];
        instance.export("movers_init").apply(n);
        update = instance.export(switch (workload) {
            case W1 -> "w1_update";
            case W2 -> "w2_update";
            case W3 -> "w3_update";
            case W4 -> "w4_update";
            case W5 -> "w5_update";
            case W6, W7, DEMO -> throw new IllegalArgumentException("no Chicory " + workload + " (Impl.supports)");
        });
        deliver = workload == Workload.W4 ? instance.export("w4_deliver") : null;
        layerPre = workload == Workload.W5 ? instance.export("w5_pre") : null;
        layerPost = workload == Workload.W5 ? instance.export("w5_post") : null;
        resetPtr = (int) instance.export("reset_ptr").apply()[0];
        if (workload == Workload.W5) instance.export("w5_init").apply(n);
        signalTargetPtr = (int) instance.export("signal_target_ptr").apply()[0];
        signalValuePtr = (int) instance.export("signal_value_ptr").apply()[0];
        deliveryInstancePtr = (int) instance.export("delivery_instance_ptr").apply()[0];
        deliveryValuePtr = (int) instance.export("delivery_value_ptr").apply()[0];
        int entities = workload == Workload.W3 ? Logic.CHURN_SPAWNERS : n;
        outBytes = new byte[12 * entities];
        positionBytes = new byte[12 * entities];
        outFloats = ByteBuffer.wrap(outBytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        positionFloats = ByteBuffer.wrap(positionBytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    }

    @Override
    public void frame() {
        if (workload == Workload.W5) {
            layered();
            return;
        }
        if (workload == Workload.W3) {
            update.apply(frameIndex++);
            return;
        }
        if (workload == Workload.W2) {
            neighbours.rebuild(world);
            copyPositionsIn();
        }
        long[] result = update.apply(n, Float.floatToRawIntBits(CompareSupport.DT_F)); // null: void export
        int sent = result == null ? 0 : (int) result[0];
        byte[] bytes = memory.readBytes(outPtr, outBytes.length);
        FloatBuffer o = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        for (int i = 0; i < n; i++) {
            world.translate(handles[i], new Vec3(o.get(i * 3), o.get(i * 3 + 1), o.get(i * 3 + 2)));
        }
        if (workload == Workload.W4) route(sent);
    }

    /**
     * W5: pre_update's velocities applied, update's translates applied (it reads positions),
     * velocities integrated, then post_update reads positions and marks entities to reset.
     */
    private void layered() {
        layerPre.apply(n, Double.doubleToRawLongBits(frameIndex++ * CompareSupport.DT));
        FloatBuffer o = ByteBuffer.wrap(memory.readBytes(outPtr, outBytes.length)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        for (int i = 0; i < n; i++) world.setVelocity(handles[i], new Vec3(o.get(i * 3), o.get(i * 3 + 1), o.get(i * 3 + 2)));
        copyPositionsIn();
        update.apply(n, Float.floatToRawIntBits(CompareSupport.DT_F));
        o = ByteBuffer.wrap(memory.readBytes(outPtr, outBytes.length)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        for (int i = 0; i < n; i++) world.translate(handles[i], new Vec3(o.get(i * 3), o.get(i * 3 + 1), o.get(i * 3 + 2)));
        world.integrateVelocities(CompareSupport.DT_F);
        copyPositionsIn();
        layerPost.apply(n);
        byte[] reset = memory.readBytes(resetPtr, n);
        for (int i = 0; i < n; i++) if (reset[i] != 0) world.setPosition(handles[i], Vec3.ZERO);
    }

    private void copyPositionsIn() {
        float[] p = world.rawPositions();
        positionFloats.clear();
        positionFloats.put(p, 0, 3 * n);
        memory.write(positionsPtr, positionBytes);
    }

    /**
     * W4's signal dispatch on the host, as the engine's SignalBus does it: read the module's
     * signal buffer, resolve each target entity to its receiving instance (here: one instance
     * per entity, instance i on entity index i, checked alive), write the deliveries back and
     * call the handler export once for all of them.
     */
    private void route(int count) {
        byte[] targets = memory.readBytes(signalTargetPtr, 4 * count);
        byte[] values = memory.readBytes(signalValuePtr, 4 * count);
        var t = ByteBuffer.wrap(targets).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        int delivered = 0;
        for (int s = 0; s < count; s++) {
            int target = t.get(s);
            if (!world.aliveAt(target)) continue;
            t.put(delivered, target);
            if (delivered != s) System.arraycopy(values, 4 * s, values, 4 * delivered, 4);
            delivered++;
        }
        memory.write(deliveryInstancePtr, targets, 0, 4 * delivered);
        memory.write(deliveryValuePtr, values, 0, 4 * delivered);
        deliver.apply(delivered);
    }

    @Override
    public float[] positions() {
        return CompareSupport.positions(world, workload);
    }

    @Override
    public void close() {}
}
