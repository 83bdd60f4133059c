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
    private static final int TRANSLATE = 0, SET_VELOCITY = 1, SET_POSITION = 2;
    private int[] moveOp = new int[1024];
    private int[] moveTarget = new int[1024];
    private float[] moveOffset = new float[3 * 1024];
    private int moves;
    private int[] signalTarget = new int[1024];
    private double[] signalValue = new double[1024];
    private int signals;
    private long frameIndex;
    private LuaValue[] layerUpdate;
    private LuaTable[][] layers;

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
            case W5 -> "w5_layered.lua";
            case W6, W7, DEMO -> throw new IllegalArgumentException("no LuaJ " + workload + " (Impl.supports)");
        };
        try {
            globals.load(Files.readString(CompareSupport.lua(file)), file).call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (workload == Workload.W5) {
            // Three scripts per entity, each instance with its own State table, run phase by phase.
            LuaValue[] scripts = {globals.get("Pre"), globals.get("Bob"), globals.get("Post")};
            layerUpdate = new LuaValue[3];
            layers = new LuaTable[3][entities];
            for (int l = 0; l < 3; l++) {
                layerUpdate[l] = scripts[l].get("update");
                for (int i = 0; i < entities; i++) {
                    LuaTable self = new LuaTable();
                    self.set("i", Entities.index(handles[i]));
                    layers[l][i] = self;
                    scripts[l].get("init").call(self);
                }
            }
            update = LuaValue.NIL;
            onSignal = LuaValue.NIL;
            instances = new LuaTable[0];
            return;
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

    /** The binding of one vec3 request, (entity, x, y, z): queued like the engine's records. */
    private VarArgFunction move(int kind) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                queueMove(kind, a.checkint(1), (float) a.checkdouble(2), (float) a.checkdouble(3), (float) a.checkdouble(4));
                return NONE;
            }
        };
    }

    private void bind() {
        globals.set("N", n);
        globals.set("found", foundTable);
        globals.set("translate", move(TRANSLATE));
        globals.set("set_velocity", move(SET_VELOCITY));
        globals.set("set_position", move(SET_POSITION));
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

    private void queueMove(int op, int index, float x, float y, float z) {
        if (moves == moveTarget.length) {
            moveOp = Arrays.copyOf(moveOp, moves * 2);
            moveTarget = Arrays.copyOf(moveTarget, moves * 2);
            moveOffset = Arrays.copyOf(moveOffset, moves * 6);
        }
        moveOp[moves] = op;
        moveTarget[moves] = index;
        moveOffset[moves * 3] = x;
        moveOffset[moves * 3 + 1] = y;
        moveOffset[moves * 3 + 2] = z;
        moves++;
    }

    @Override
    public void frame() {
        if (workload == Workload.W5) {
            LuaValue dt = LuaValue.valueOf(CompareSupport.DT_F);
            LuaValue time = LuaValue.valueOf(frameIndex * CompareSupport.DT);
            for (int l = 0; l < 3; l++) {
                for (LuaTable self : layers[l]) layerUpdate[l].call(self, dt, time);
                applyQueued();
                if (l == 1) world.integrateVelocities(CompareSupport.DT_F); // after update, as the engine
            }
            frameIndex++;
            return;
        }
        if (workload == Workload.W2) neighbours.rebuild(world);
        LuaValue dt = LuaValue.valueOf(CompareSupport.DT_F);
        LuaValue frame = LuaValue.valueOf((double) frameIndex);
        for (LuaTable self : instances) update.call(self, dt, frame);
        // The barrier: queued requests in order, then signal dispatch.
        applyQueued();
        for (int s = 0; s < signals; s++) onSignal.call(instances[signalTarget[s]], LuaValue.valueOf(signalValue[s]));
        signals = 0;
        frameIndex++;
    }

    private void applyQueued() {
        for (int m = 0; m < moves; m++) {
            long h = world.handleAt(moveTarget[m]);
            Vec3 v = new Vec3(moveOffset[m * 3], moveOffset[m * 3 + 1], moveOffset[m * 3 + 2]);
            switch (moveOp[m]) {
                case TRANSLATE -> world.translate(h, v);
                case SET_VELOCITY -> world.setVelocity(h, v);
                default -> world.setPosition(h, v);
            }
        }
        moves = 0;
    }

    @Override
    public float[] positions() {
        return CompareSupport.positions(world, workload);
    }

    @Override
    public void close() {}
}
