package dev.kiln.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A fault's headline names the function: dladdr knows only exported symbols and records "?",
 * while the stack trace below, named from the full symbol table, knows better.
 */
class FaultHeadlineTest {
    private static FaultGuard.Fault segv(String symbol, List<String> trace) {
        return new FaultGuard.Fault(FaultGuard.Kind.SIGNAL, 11, 0x10, 0x7f0000002dccL, "", symbol, trace);
    }

    @Test
    void anUnnamedPcTakesTheInnermostNamedFrame() {
        FaultGuard.Fault f = segv("? (librogue-ab12.so+0x0000000000002dcc)",
                List.of("0x2dcc (librogue-ab12.so)", "rogue.scribble + 0x1c (librogue-ab12.so)",
                        "kiln_script_update + 0x6ac (librogue-ab12.so)"));
        assertThat(f.describe()).isEqualTo(
                "SIGSEGV (invalid memory access) at address 0x10 in rogue.scribble (librogue-ab12.so+0x0000000000002dcc)");
    }

    @Test
    void aNamedPcIsKeptAndNoTraceLeavesTheQuestionMark() {
        assertThat(segv("update (libx.so+0x10)", List.of("other + 0x1 (libx.so)")).describe()).endsWith("in update (libx.so+0x10)");
        assertThat(segv("? (libx.so+0x10)", List.of()).describe()).endsWith("in ? (libx.so+0x10)");
        assertThat(segv("? (libx.so+0x10)", List.of("(stack trace unavailable: x)")).describe()).endsWith("in ? (libx.so+0x10)");
    }
}
