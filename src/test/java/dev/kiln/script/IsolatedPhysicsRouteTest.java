package dev.kiln.script;

/** Every PhysicsRouteTest again with api_tour.zig isolated: its requests reach the handler the same way. */
class IsolatedPhysicsRouteTest extends PhysicsRouteTest {
    @Override
    boolean isolated() {
        return true;
    }
}
