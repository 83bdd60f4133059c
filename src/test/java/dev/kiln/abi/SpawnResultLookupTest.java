package dev.kiln.abi;

import dev.kiln.testing.ZigTests;
import org.junit.jupiter.api.Test;

/**
 * The SDK's snapshot lookups against linear searches, by the Zig tests next to them
 * (zig/sdk/snapshot.zig): the spawn-result lookup (findSpawnResult: the dense-table guess, then a
 * branch-free bisection) over random sorted tables with and without gaps in the ids, and the tag
 * lookup (tagged: a bisection over the tag buckets) over every number of buckets; keys present
 * and absent.
 */
class SpawnResultLookupTest {
    @Test
    void theSdkLookupAgreesWithALinearSearch() throws Exception {
        ZigTests.assertPass("zig/sdk/snapshot.zig");
    }
}
