package dev.kiln.reload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every hot reload test again with the script in isolated mode: each new version gets a new host. */
class IsolatedHotReloadTest extends HotReloadTest {
    @Override
    boolean isolated() {
        return true;
    }

    @Test
    void aNewVersionOfAnIsolatedScriptIsIsolatedToo() throws Exception {
        save(LibrarySwapTest.V2);
        session.await(ReloadEvent.Reloaded.class);
        assertThat(t.engine.scripts().library("counter").isolated()).isTrue();
    }
}
