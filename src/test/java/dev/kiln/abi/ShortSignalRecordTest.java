package dev.kiln.abi;

import dev.kiln.testing.ZigTests;
import org.junit.jupiter.api.Test;

/**
 * The SDK's one-store EMIT_SIGNAL (zig/sdk/commands.zig ShortSignal, what emitSignal writes when
 * name and payload fit in 8 bytes) against the general append, by the Zig test next to it: every
 * name length 1–8 with every payload length that fits, the 40 record bytes compared.
 */
class ShortSignalRecordTest {
    @Test
    void theOneStoreRecordIsTheGeneralRecord() throws Exception {
        ZigTests.assertPass("zig/sdk/commands.zig");
    }
}
