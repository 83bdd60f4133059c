package dev.kiln.script;

/**
 * Every signal test again with the scripts in isolated mode: signal names and payloads are
 * copied into each host's region, replies come back through the command buffer.
 */
class IsolatedSignalTest extends SignalTest {
    @Override
    boolean isolated() {
        return true;
    }
}
