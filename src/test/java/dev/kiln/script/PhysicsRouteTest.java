package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.Quat;
import dev.kiln.ecs.RotationSpace;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.Vec3;
import dev.kiln.ecs.World;
import dev.kiln.testing.TestEngine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The physics route: transform requests on entities flagged physics-driven go to a handler at
 * the barrier, in canonical order, instead of being applied; other entities' requests apply as
 * always; with no handler, everything applies. IsolatedPhysicsRouteTest runs each again with
 * api_tour.zig isolated.
 */
class PhysicsRouteTest {
    private TestEngine t;
    private World world;
    private ScriptRuntime scripts;
    private long a, b, c;
    private final List<TransformRequest> received = new ArrayList<>();

    @BeforeEach
    void setUp() {
        t = new TestEngine();
        world = t.engine.world();
        scripts = t.engine.scripts();
        if (isolated()) t.loadIsolated(TestEngine.testScript("api_tour.zig"));
        else t.loadTest("api_tour.zig");
        a = world.spawn();
        b = world.spawn();
        c = world.spawn();
        // canonical order: b (priority 0), c (1), a (2): not the attach order
        scripts.attach(a, "api_tour", 2, null);
        scripts.attach(b, "api_tour", 0, null);
        scripts.attach(c, "api_tour", 1, null);
        for (long e : new long[] {a, b, c}) {
            world.setVar(e, "op", new VarValue.I64(30)); // every transform request, in a known order
            world.setVar(e, "v", new VarValue.V3(new Vec3(Long.hashCode(e) % 7, 1, 2)));
        }
    }

    /** IsolatedPhysicsRouteTest: the same requests, posted from a host process of their own. */
    boolean isolated() {
        return false;
    }

    @AfterEach
    void tearDown() {
        t.close();
    }

    private static final List<TransformRequest.Kind> BURST = List.of(
            TransformRequest.Kind.SET_POSITION, TransformRequest.Kind.TRANSLATE, TransformRequest.Kind.SET_SCALE,
            TransformRequest.Kind.SET_VELOCITY, TransformRequest.Kind.SET_ROTATION, TransformRequest.Kind.ROTATE,
            TransformRequest.Kind.LOOK_AT);

    @Test
    void flaggedEntitiesRequestsGoToTheHandlerInCanonicalOrderAndTheOthersApply() {
        scripts.setPhysicsHandler(received::add);
        scripts.setPhysicsDriven(a, true);
        scripts.setPhysicsDriven(c, true);
        Vec3 bTarget = new Vec3(Long.hashCode(b) % 7, 1, 2);
        t.step();

        assertThat(received).extracting(TransformRequest::entity)
                .containsExactly(c, c, c, c, c, c, c, a, a, a, a, a, a, a); // c (priority 1) before a (2)
        assertThat(received.subList(0, 7)).extracting(TransformRequest::kind).containsExactlyElementsOf(BURST);
        assertThat(received.subList(7, 14)).extracting(TransformRequest::kind).containsExactlyElementsOf(BURST);
        TransformRequest first = received.get(0);
        assertThat(first.vector()).isEqualTo(new Vec3(Long.hashCode(c) % 7, 1, 2));
        assertThat(first.script()).isEqualTo("api_tour");
        TransformRequest rotate = received.get(5);
        assertThat(rotate.space()).isEqualTo(RotationSpace.LOCAL);
        assertThat(rotate.rotation()).isEqualTo(Quat.axisAngle(new Vec3(1, 0, 0), 0.25f));
        assertThat(received.get(6).up()).isEqualTo(new Vec3(0, 1, 0));

        // Nothing of a's or c's was applied; b's all was.
        assertThat(world.position(a)).isEqualTo(Vec3.ZERO);
        assertThat(world.scale(c)).isEqualTo(Vec3.ONE);
        assertThat(world.rotation(a)).isEqualTo(Quat.IDENTITY);
        // set, translated by +1 on x, then moved by its velocity for one frame
        assertThat(world.position(b).distanceTo(bTarget.plus(new Vec3(1, 0, 0)).plus(bTarget.times((float) TestEngine.DT))))
                .isLessThan(1e-5f);
        assertThat(world.scale(b)).isEqualTo(new Vec3(2, 2, 2));
        assertThat(world.velocity(b)).isEqualTo(bTarget);
    }

    @Test
    void withoutAHandlerEveryRequestIsApplied() {
        scripts.setPhysicsDriven(a, true);
        t.step();
        assertThat(world.scale(a)).isEqualTo(new Vec3(2, 2, 2));
        assertThat(scripts.isPhysicsDriven(a)).isTrue();
    }

    @Test
    void theFlagEndsWithTheEntity() {
        scripts.setPhysicsHandler(received::add);
        scripts.setPhysicsDriven(a, true);
        world.despawn(a);
        scripts.setPhysicsDriven(b, false);
        assertThat(scripts.isPhysicsDriven(a)).isFalse();
        long reused = world.spawn(); // a's slot, a new generation: not flagged
        assertThat(scripts.isPhysicsDriven(reused)).isFalse();
    }
}
