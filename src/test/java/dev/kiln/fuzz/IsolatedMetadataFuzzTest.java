package dev.kiln.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.abi.Layouts;
import dev.kiln.abi.LibraryLoadException;
import dev.kiln.abi.ScriptInfo;
import dev.kiln.abi.ScriptInfoReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * An isolated library's metadata is read from memory its host (running the library) wrote:
 * whatever the bytes and pointers, reading it either yields a checked ScriptInfo or refuses it
 * with a LibraryLoadException — never another exception, never a read outside that memory.
 */
class IsolatedMetadataFuzzTest {
    private static final int REGION = 2048;
    private static final Path LIBRARY = Path.of("libfuzzed.so");

    /** Offsets of the pointer fields of kiln_script_info. */
    private static final long[] POINTERS = {
        Layouts.offset(Layouts.SCRIPT_INFO, "name"), Layouts.offset(Layouts.SCRIPT_INFO, "source_hash"),
        Layouts.offset(Layouts.SCRIPT_INFO, "state_fields"), Layouts.offset(Layouts.SCRIPT_INFO, "exports"),
        Layouts.offset(Layouts.SCRIPT_INFO, "state_defaults"),
    };

    @Provide
    Arbitrary<byte[]> regions() {
        return Arbitraries.bytes().array(byte[].class).ofSize(REGION);
    }

    /** Where each pointer field points: inside the region mostly, sometimes anywhere. */
    @Provide
    Arbitrary<long[]> targets() {
        return Arbitraries.frequencyOf(
                        Tuple.of(8, Arbitraries.longs().between(0, REGION + 64)),
                        Tuple.of(1, Arbitraries.longs()))
                .array(long[].class).ofSize(POINTERS.length + 2);
    }

    @Property
    void anyMetadataIsReadOrRefusedNeverCrashes(@ForAll("regions") byte[] bytes, @ForAll("targets") long[] targets) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment region = arena.allocate(REGION, 16);
            MemorySegment.copy(bytes, 0, region, ValueLayout.JAVA_BYTE, 0, REGION);
            MemorySegment info = region.asSlice(0, Layouts.SCRIPT_INFO.byteSize());
            // Plausible versions most of the time, so reading gets past them into the tables.
            if ((targets[POINTERS.length] & 3) != 0) {
                info.set(ValueLayout.JAVA_INT, 0, Layouts.ABI_VERSION);
                info.set(ValueLayout.JAVA_INT, 4, 1);
                info.set(ValueLayout.JAVA_INT, 8, (int) Layouts.SCRIPT_INFO.byteSize());
                info.set(ValueLayout.JAVA_INT, Layouts.offset(Layouts.SCRIPT_INFO, "state_align"), 8);
                info.set(ValueLayout.JAVA_INT, Layouts.offset(Layouts.SCRIPT_INFO, "state_size"),
                        (int) (targets[POINTERS.length + 1] & 0xFF));
                info.set(ValueLayout.JAVA_INT, Layouts.offset(Layouts.SCRIPT_INFO, "state_field_count"),
                        (int) (targets[POINTERS.length + 1] >>> 8 & 0x1F));
                info.set(ValueLayout.JAVA_INT, Layouts.offset(Layouts.SCRIPT_INFO, "export_count"),
                        (int) (targets[POINTERS.length + 1] >>> 16 & 0x1F));
            }
            for (int p = 0; p < POINTERS.length; p++) {
                long target = targets[p];
                long address = target >= 0 && target <= REGION + 64 ? region.address() + target : target;
                info.set(ValueLayout.JAVA_LONG, POINTERS[p], address);
            }
            try {
                ScriptInfo read = ScriptInfoReader.read(LIBRARY, info, ScriptInfoReader.within(region));
                assertThat(read.name()).isNotEmpty();
                assertThat(read.stateDefaults()).hasSize(read.stateSize());
            } catch (LibraryLoadException refused) {
                assertThat(refused.getMessage()).contains("libfuzzed.so");
            }
        }
    }
}
