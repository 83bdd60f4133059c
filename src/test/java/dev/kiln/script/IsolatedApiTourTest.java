package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.TestEngine;
import org.junit.jupiter.api.Test;

/**
 * Every API tour test again, with api_tour.zig in isolated mode (a host process of its own,
 * reading copies of the snapshot and writing records through the shared region): the API
 * behaves the same across the process boundary.
 */
class IsolatedApiTourTest extends ApiTourTest {
    @Override
    boolean isolated() {
        return true;
    }

    @Test
    void theScriptReallyRunsInAHostProcessOfItsOwn() {
        assertThat(t.engine.scripts().library("api_tour").isolated()).isTrue();
        assertThat(TestEngine.isolatedHosts()).isEqualTo(1);
    }
}
