package dev.kiln.reload;

/**
 * Every swap test again with each version in isolated mode: the health check, dry-run init,
 * migration by name, the migrate, serialize/deserialize and unload hooks cross the process
 * boundary; 200 swaps leave one host and one region.
 */
class IsolatedLibrarySwapTest extends LibrarySwapTest {
    @Override
    boolean isolated() {
        return true;
    }
}
