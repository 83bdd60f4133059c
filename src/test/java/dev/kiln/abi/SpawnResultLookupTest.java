package dev.kiln.abi;

import dev.kiln.testing.ZigTests;
import org.junit.jupiter.api.Test;

/**
 * The SDK's spawn-result lookup (zig/sdk/snapshot.zig findSpawnResult: the dense-table guess,
 * then a branch-free bisection) against a linear search, by the Zig test next to it: random
 * sorted tables with and without gaps in the ids, keys present and absent.
 */
class SpawnResultLookupTest {
    @Test
    void theSdkLookupAgreesWithALinearSearch() throws Exception {
        ZigTests.assertPass("zig/sdk/snapshot.zig");
    }
}
