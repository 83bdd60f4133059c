package dev.kiln.script;

/** Every ApiFidelityTest again with api_tour.zig isolated: the new records cross the host unchanged. */
class IsolatedApiFidelityTest extends ApiFidelityTest {
    @Override
    boolean isolated() {
        return true;
    }
}
