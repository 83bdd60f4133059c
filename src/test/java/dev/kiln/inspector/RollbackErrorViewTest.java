package dev.kiln.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.reload.ReloadEvent;
import dev.kiln.testing.ReloadSession;
import dev.kiln.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A keep-last-good rollback is shown in the inspector's errors view, not only in the console. */
class RollbackErrorViewTest {
    static final String GOOD = """
            const kiln = @import("kiln");
            pub const State = struct { count: u32 = 0 };
            pub fn update(self: *State, ctx: *kiln.Context) void { _ = ctx; self.count += 1; }
            """;
    /** Panics in its first update after the reload: on probation, so it is rolled back. */
    static final String FAULTY = GOOD.replace("self.count += 1;", "self.count += 1000; if (self.count > 1000) @panic(\"count ran away\");");

    @Test
    void aRollbackIsInTheErrorsViewWithItsReason(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("counter.zig");
        Files.writeString(file, GOOD);
        try (TestEngine t = new TestEngine()) {
            t.load(file);
            t.engine.scripts().attach(t.engine.world().spawn(), "counter", 0, null);
            t.run(3);
            try (ReloadSession session = ReloadSession.watching(t)) {
                ReloadSession.save(file, FAULTY);
                session.await(ReloadEvent.Reloaded.class, ReloadEvent.Reloaded::reverted);
                assertThat(ErrorViews.collect(t.engine, session.reloads)).anySatisfy(v -> {
                    assertThat(v.kind()).isEqualTo("rollback");
                    assertThat(v.script()).isEqualTo("counter");
                    assertThat(v.message()).contains("count ran away").contains("rolled back to the previous good version");
                });
            }
        }
    }
}
