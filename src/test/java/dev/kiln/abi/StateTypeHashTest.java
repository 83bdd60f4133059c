package dev.kiln.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kiln.build.BuildResult;
import dev.kiln.build.ScriptCompiler;
import dev.kiln.engine.EngineOptions;
import dev.kiln.loader.FaultGuard;
import dev.kiln.loader.NativeLibrary;
import dev.kiln.reload.ReloadEvent;
import dev.kiln.script.ScriptLibrary;
import dev.kiln.testing.ReloadSession;
import dev.kiln.testing.TestEngine;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * kiln_script_info.state_type_hash: a library whose State description is not its own build's
 * (what Zig 0.17.1's incremental compiler produced before the SDK exported from top-level
 * functions) is refused as STALE_METADATA instead of being migrated by the wrong layout. C
 * libraries, built here with every combination, since the SDK always writes a matching one.
 */
class StateTypeHashTest {
    /** State { n: u32 } as the SDK describes it. */
    static final String N_AT_0 = "{\"t\":\"struct\",\"name\":\"S\",\"size\":8,\"fields\":["
            + "{\"name\":\"n\",\"offset\":0,\"type\":{\"t\":\"int\",\"signed\":false,\"bits\":32,\"size\":4}},"
            + "{\"name\":\"m\",\"offset\":4,\"type\":{\"t\":\"float\",\"bits\":32,\"size\":4}}]}";
    /** The same fields the other way round: a State of the same size, another layout. */
    static final String M_AT_0 = "{\"t\":\"struct\",\"name\":\"S\",\"size\":8,\"fields\":["
            + "{\"name\":\"m\",\"offset\":0,\"type\":{\"t\":\"float\",\"bits\":32,\"size\":4}},"
            + "{\"name\":\"n\",\"offset\":4,\"type\":{\"t\":\"int\",\"signed\":false,\"bits\":32,\"size\":4}}]}";

    static final String SOURCE = """
            #include "kiln.h"
            static const char* const exports[] = { KILN_EXPORT_INFO, KILN_EXPORT_INIT, KILN_EXPORT_UPDATE, KILN_EXPORT_SHUTDOWN };
            static const kiln_field_info fields[] = {
                { .name = "%s", .type = KILN_FIELD_U32, .offset = 0, .size = 4 },
                { .name = "%s", .type = KILN_FIELD_F32, .offset = 4, .size = 4 },
            };
            static const kiln_script_info info = {
                .abi_version = KILN_ABI_VERSION, .struct_version = KILN_SCRIPT_INFO_STRUCT_VERSION,
                .struct_size = sizeof(kiln_script_info), .default_phase = KILN_PHASE_UPDATE,
                .name = "%s", .source_hash = KILN_SOURCE_HASH, .state_size = 8, .state_align = 4,
                .state_fields = fields, .state_field_count = 2, .export_count = 4, .exports = exports,
                .state_type = "%s", .state_type_hash = %sull,
            };
            const kiln_script_info* kiln_script_metadata(void) { return &info; }
            static kiln_status none(const kiln_frame* f, kiln_instance* in, uint32_t n) {
                for (uint32_t i = 0; i < n; i++) { in[i].cmd_offset = f->commands->used_bytes; in[i].cmd_bytes = 0; in[i].status = KILN_OK; }
                return KILN_OK;
            }
            kiln_status kiln_script_init(const kiln_frame* f, kiln_instance* in, uint32_t n) { return none(f, in, n); }
            kiln_status kiln_script_update(const kiln_frame* f, kiln_instance* in, uint32_t n) { return none(f, in, n); }
            kiln_status kiln_script_shutdown(const kiln_frame* f, kiln_instance* in, uint32_t n) { return none(f, in, n); }
            """;

    @TempDir
    Path dir;

    /** No fault guard: these tests read metadata and call no script code. */
    private static final FaultGuard UNGUARDED = null;

    @Test
    void aDescriptionThatHashesToTheWitnessLoads() throws Exception {
        try (NativeLibrary lib = NativeLibrary.load(build("n", "m", N_AT_0, StateTypeHash.of(N_AT_0)), UNGUARDED)) {
            assertThat(lib.info().stateType().fields()).extracting(f -> f.name() + "@" + f.offset())
                    .containsExactly("n@0", "m@4");
        }
    }

    @Test
    void aDescriptionOfAnotherBuildIsRefusedAsStale() throws Exception {
        Path lib = build("n", "m", N_AT_0, StateTypeHash.of(M_AT_0)); // the code's layout is M_AT_0's
        LibraryLoadException e = catchThrowableOfType(LibraryLoadException.class, () -> NativeLibrary.load(lib, UNGUARDED));
        assertThat(e.reason()).isEqualTo(LibraryLoadException.Reason.STALE_METADATA);
        assertThat(e.getMessage()).contains("state_type does not hash to state_type_hash");
    }

    @Test
    void aFieldTableOfAnotherBuildIsRefusedAsStaleNamingTheField() throws Exception {
        Path lib = build("m", "n", N_AT_0, StateTypeHash.of(N_AT_0)); // table says m at 0
        LibraryLoadException e = catchThrowableOfType(LibraryLoadException.class, () -> NativeLibrary.load(lib, UNGUARDED));
        assertThat(e.reason()).isEqualTo(LibraryLoadException.Reason.STALE_METADATA);
        assertThat(e.getMessage()).contains("state_fields[0] is 'm' at 0", "state_type says 'n' at 0");
    }

    @Test
    void withoutAWitnessNothingIsComparedAsOlderLibrariesExpect() throws Exception {
        try (NativeLibrary lib = NativeLibrary.load(build("m", "n", N_AT_0, 0), UNGUARDED)) {
            assertThat(lib.info().stateType().fields()).extracting(f -> f.name()).containsExactly("n", "m");
        }
    }

    @Test
    void theSdkWritesTheHashTheEngineComputes() throws Throwable {
        Path library;
        try (TestEngine t = new TestEngine()) {
            library = t.engine.compiler().build(TestEngine.example("mover.zig")).library();
        }
        try (Arena arena = Arena.ofConfined()) {
            var lookup = SymbolLookup.libraryLookup(library, arena);
            var metadata = Linker.nativeLinker().downcallHandle(lookup.find(NativeLibrary.EXPORT_INFO).orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS));
            var info = ((MemorySegment) metadata.invokeExact()).reinterpret(Layouts.SCRIPT_INFO.byteSize());
            String json = info.get(ValueLayout.ADDRESS, Layouts.offset(Layouts.SCRIPT_INFO, "state_type"))
                    .reinterpret(ScriptInfoReader.STATE_TYPE_MAX).getString(0);
            long witness = info.get(ValueLayout.JAVA_LONG, Layouts.offset(Layouts.SCRIPT_INFO, "state_type_hash"));
            assertThat(json).contains("\"t\":\"struct\"");
            assertThat(witness).isNotZero().isEqualTo(StateTypeHash.of(json));
        }
    }

    /**
     * A reload whose library is refused as stale is reported and the running version stays; a
     * C script is not built again (only a warm Zig compiler's library is), in either profile.
     */
    @ParameterizedTest
    @EnumSource(value = ScriptCompiler.Mode.class, names = {"RELEASE_SAFE", "DEVELOPMENT"})
    void aStaleReloadIsReportedAndTheRunningVersionStays(ScriptCompiler.Mode mode) throws Exception {
        String name = "stalereload" + Long.toHexString(System.nanoTime());
        Path source = dir.resolve(name + ".c");
        Files.writeString(source, SOURCE.formatted("n", "m", name, quoted(N_AT_0), Long.toUnsignedString(StateTypeHash.of(N_AT_0))));
        try (TestEngine t = new TestEngine(EngineOptions.defaults().withMode(mode))) {
            ScriptLibrary running = t.load(source);
            try (ReloadSession session = ReloadSession.watching(t)) {
                Files.writeString(source, SOURCE.formatted("n", "m", name, quoted(N_AT_0),
                        Long.toUnsignedString(StateTypeHash.of(M_AT_0))) + "\n// stale\n");
                session.reloads.reloadNow(name);
                ReloadEvent.LoadFailed failed = session.await(ReloadEvent.LoadFailed.class);
                assertThat(failed.message()).contains("state_type does not hash to state_type_hash");
                session.await(() -> !session.reloads.busy(), "the reload settled");
                assertThat(session.events).noneMatch(e -> e instanceof ReloadEvent.Reloaded);
                assertThat(session.events).noneMatch(e -> e instanceof ReloadEvent.BuildFailed); // no Zig build of a C file
                assertThat(t.engine.scripts().library(name)).isSameAs(running);
            }
        }
    }

    private static String quoted(String json) {
        return json.replace("\"", "\\\"");
    }

    private int builds;

    /** A C library whose field table names {@code first}, {@code second} and whose metadata has {@code json} and {@code hash}. */
    private Path build(String first, String second, String json, long hash) throws Exception {
        String name = "stale" + (++builds) + "_" + Long.toHexString(System.nanoTime());
        Path source = dir.resolve(name + ".c");
        Files.writeString(source, SOURCE.formatted(first, second, name, quoted(json), Long.toUnsignedString(hash)));
        try (TestEngine t = new TestEngine()) {
            BuildResult r = t.engine.compiler().buildC(source);
            assertThat(r.ok()).as(r.compilerOutput()).isTrue();
            return r.library();
        }
    }
}
