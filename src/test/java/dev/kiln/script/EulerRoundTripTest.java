package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.kiln.ecs.Euler;
import dev.kiln.ecs.Quat;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.Vec3;
import dev.kiln.testing.TestEngine;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Euler angles (yaw-pitch-roll, Y then X then Z) round-trip: in the engine's conversion, and
 * through a real script (the SDK's quatFromEuler-equivalent record converted by the engine, read
 * back with the SDK's quatToEuler). Away from gimbal lock the angles come back; everywhere the
 * rotation does.
 */
class EulerRoundTripTest {
    private static final float HALF_PI = (float) (Math.PI / 2);
    private static TestEngine engine;
    private static long self;

    @AfterContainer
    static void closeEngine() {
        if (engine != null) engine.close();
        engine = null;
    }

    /** One engine for every try: building and loading once keeps a try at two frames. */
    private static TestEngine engine() {
        if (engine == null) {
            engine = new TestEngine();
            engine.loadTest("api_tour.zig");
            self = engine.engine.world().spawn();
            engine.engine.scripts().attach(self, "api_tour", 0, null);
        }
        return engine;
    }

    @Property
    void anglesComeBackAwayFromGimbalLock(@ForAll @FloatRange(min = -3.1f, max = 3.1f) float yaw,
                                           @ForAll @FloatRange(min = -1.55f, max = 1.55f) float pitch,
                                           @ForAll @FloatRange(min = -3.1f, max = 3.1f) float roll) {
        Euler back = Euler.of(new Euler(yaw, pitch, roll).toQuat());
        assertThat(back.yaw()).isCloseTo(yaw, offset(2e-3f));
        assertThat(back.pitch()).isCloseTo(pitch, offset(2e-3f));
        assertThat(back.roll()).isCloseTo(roll, offset(2e-3f));
    }

    @Property
    void everyRotationComesBack(@ForAll @FloatRange(min = -1, max = 1) float x, @ForAll @FloatRange(min = -1, max = 1) float y,
                                @ForAll @FloatRange(min = -1, max = 1) float z, @ForAll @FloatRange(min = -1, max = 1) float w) {
        Quat q = new Quat(x, y, z, w).normalized();
        Quat back = Euler.of(q).toQuat();
        float dot = q.x() * back.x() + q.y() * back.y() + q.z() * back.z() + q.w() * back.w();
        assertThat(Math.abs(dot)).isCloseTo(1f, offset(1e-3f));
        assertThat(Euler.of(q).pitch()).isBetween(-HALF_PI - 1e-6f, HALF_PI + 1e-6f);
    }

    @Property(tries = 60)
    void aScriptsEulerRequestAndTheSdksConversionRoundTrip(
            @ForAll @FloatRange(min = -3.1f, max = 3.1f) float yaw,
            @ForAll @FloatRange(min = -1.55f, max = 1.55f) float pitch,
            @ForAll @FloatRange(min = -3.1f, max = 3.1f) float roll) {
        TestEngine t = engine();
        var world = t.engine.world();
        world.setVar(self, "euler", new VarValue.V3(new Vec3(yaw, pitch, roll)));
        world.setVar(self, "op", new VarValue.I64(27)); // setRotationEuler
        t.step();
        assertThat(world.rotation(self)).isEqualTo(new Euler(yaw, pitch, roll).toQuat().normalized());
        world.setVar(self, "op", new VarValue.I64(28)); // the SDK's quatToEuler
        t.step();
        world.setVar(self, "op", new VarValue.I64(0));
        Vec3 back = ((VarValue.V3) world.getVar(self, "euler_out")).value();
        assertThat(back.x()).as("yaw").isCloseTo(yaw, offset(2e-3f));
        assertThat(back.y()).as("pitch").isCloseTo(pitch, offset(2e-3f));
        assertThat(back.z()).as("roll").isCloseTo(roll, offset(2e-3f));
    }
}
