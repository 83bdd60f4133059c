package dev.kiln.bench.compare;

import dev.kiln.ecs.Entities;
import dev.kiln.ecs.Quat;
import dev.kiln.ecs.Vec3;
import dev.kiln.ecs.World;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Arrays;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.ThreeArgFunction;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * LuaJ 3.0.1 (interpreter; its LuaJC bytecode compiler needs BCEL and was not used): one Lua
 * table of State per entity, one script per workload, the API as a Java binding over the
 * engine's World. translate and send are requests, applied after the phase as the engine does;
 * spawn and despawn apply at once (a binding returning a real handle is what a Lua user gets).
 */
final class LuaImpl implements Impl {
    private final Workload workload;
    private final World world = new World();
    private final Globals globals = JsePlatform.standardGlobals();
    private final LuaTable[] instances;
    private final LuaValue update;
    private final LuaValue onSignal;
    private final int n;
    private final CompareSupport.Neighbours neighbours = new CompareSupport.Neighbours();
    private final int[] found = new int[64];
    private final LuaTable foundTable = new LuaTable();
    // Queued translates (entity index, offset) and signals (target index, value).
    private int[] moveTarget = new int[1024];
    private float[] moveOffset = new float[3 * 1024];
    private int moves;
    private int[] signalTarget = new int[1024];
    private double[] signalValue = new double[1024];
    private int signals;
    private long frameIndex;

    LuaImpl(Workload workload, int n) {
        this.workload = workload;
        int entities = workload == Workload.W3 ? Logic.CHURN_SPAWNERS : n;
        this.n = entities;
        long[] handles = CompareSupport.spawnGrid(world, entities);
        bind();
        String file = switch (workload) {
            case W1 -> "w1_move.lua";
            case W2 -> "w2_boids.lua";
            case W3 -> "w3_spawner.lua";
            case W4 -> "w4_signals.lua";
            case W5 -> throw new IllegalArgumentException("no Lua W5");
        };
        try {
            globals.load(Files.readString(CompareSupport.lua(file)), file).call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        update = globals.get("update");
        onSignal = globals.get("on_signal");
        LuaValue init = globals.get("init");
        instances = new LuaTable[entities];
        for (int i = 0; i < entities; i++) {
            LuaTable self = new LuaTable();
            self.set("i", Entities.index(handles[i]));
            instances[i] = self;
            init.call(self);
        }
    }

    private void bind() {
        globals.set("N", n);
        globals.set("found", foundTable);
        globals.set("translate", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                queueMove(a.checkint(1), (float) a.checkdouble(2), (float) a.checkdouble(3), (float) a.checkdouble(4));
                return NONE;
            }
        });
        globals.set("position", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                int i = a.checkint(1) * 3;
                float[] p = world.rawPositions();
                return varargsOf(valueOf(p[i]), valueOf(p[i + 1]), valueOf(p[i + 2]));
            }
        });
        globals.set("nearby", new TwoArgFunction() {
            @Override
            public LuaValue call(LuaValue index, LuaValue radius) {
                int count = neighbours.query(index.checkint(), (float) radius.checkdouble(), found);
                for (int k = 0; k < count; k++) foundTable.set(k + 1, LuaValue.valueOf(found[k]));
                return valueOf(count);
            }
        });
        globals.set("spawn", new ThreeArgFunction() {
            @Override
            public LuaValue call(LuaValue x, LuaValue y, LuaValue z) {
                long h = world.spawn(new Vec3((float) x.checkdouble(), (float) y.checkdouble(), (float) z.checkdouble()),
                        Quat.IDENTITY, Vec3.ONE);
                return valueOf((double) h);
            }
        });
        globals.set("despawn", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue handle) {
                world.despawn((long) handle.checkdouble());
                return NONE;
            }
        });
        globals.set("send", new TwoArgFunction() {
            @Override
            public LuaValue call(LuaValue target, LuaValue value) {
                if (signals == signalTarget.length) {
                    signalTarget = Arrays.copyOf(signalTarget, signals * 2);
                    signalValue = Arrays.copyOf(signalValue, signals * 2);
                }
                signalTarget[signals] = target.checkint();
                signalValue[signals++] = value.checkdouble();
                return NONE;
            }
        });
    }

    private void queueMove(int index, float x, float y, float z) {
        if (moves == moveTarget.length) {
            moveTarget = Arrays.copyOf(moveTarget, moves * 2);
            moveOffset = Arrays.copyOf(moveOffset, moves * 6);
        }
        moveTarget[moves] = index;
        moveOffset[moves * 3] = x;
        moveOffset[moves * 3 + 1] = y;
        moveOffset[moves * 3 + 2] = z;
        moves++;
    }

    @Override
    public void frame() {
        if (workload == Workload.W2) neighbours.rebuild(world);
        LuaValue dt = LuaValue.valueOf(CompareSupport.DT_F);
        LuaValue frame = LuaValue.valueOf((double) frameIndex);
        for (LuaTable self : instances) update.call(self, dt, frame);
        // The barrier: queued translates in order, then signal dispatch.
        for (int m = 0; m < moves; m++) {
            world.translate(world.handleAt(moveTarget[m]),
                    new Vec3(moveOffset[m * 3], moveOffset[m * 3 + 1], moveOffset[m * 3 + 2]));
        }
        moves = 0;
        for (int s = 0; s < signals; s++) onSignal.call(instances[signalTarget[s]], LuaValue.valueOf(signalValue[s]));
        signals = 0;
        frameIndex++;
    }

    @Override
    public float[] positions() {
        float[] p = CompareSupport.positions(world);
        return workload == Workload.W3 ? CompareSupport.sortedTriples(p) : p;
    }

    @Override
    public void close() {}
}
