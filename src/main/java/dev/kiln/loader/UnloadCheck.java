package dev.kiln.loader;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Checks that a closed library really left the process: after its arena closed, no line of
 * /proc/self/maps may name its file. When one does, says why it most likely stayed, from the
 * library's own ELF (a NODELETE flag, STB_GNU_UNIQUE symbols) or, failing those, what else
 * keeps a library loaded.
 */
public final class UnloadCheck {
    private static final Path MAPS = Path.of("/proc/self/maps");
    private static final long DT_FLAGS_1 = 0x6ffffffbL;
    private static final long DF_1_NODELETE = 0x8;
    private static final int STB_GNU_UNIQUE = 10;
    private static final int SHT_DYNAMIC = 6;
    private static final int SHT_DYNSYM = 11;

    private UnloadCheck() {}

    /** dlopen's RTLD_LAZY and RTLD_NOLOAD (glibc): find a loaded library, load nothing. */
    private static final int RTLD_LAZY = 0x1, RTLD_NOLOAD = 0x4;
    private static final MethodHandle DLOPEN = libc("dlopen",
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle DLCLOSE = libc("dlclose", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));

    private static MethodHandle libc(String name, FunctionDescriptor descriptor) {
        Linker linker = Linker.nativeLinker();
        return linker.defaultLookup().find(name).map(s -> linker.downcallHandle(s, descriptor)).orElse(null);
    }

    /**
     * Null when {@code library} is no longer mapped, else a message saying that it stayed and
     * why. First asks the dynamic linker (dlopen with RTLD_NOLOAD, microseconds): a library it
     * no longer lists was unmapped by dlclose. Only one it still lists costs a read of
     * /proc/self/maps (≈ 0.5–1 ms in a JVM: thousands of mappings), which the swap frame would pay.
     */
    public static String stillMapped(Path library) {
        if (!listedByDynamicLinker(library)) return null;
        List<String> maps;
        try {
            maps = Files.readAllLines(MAPS);
        } catch (IOException e) {
            return null; // not Linux, or /proc unavailable: nothing to check against
        }
        String real = realPath(library);
        boolean mapped = maps.stream().anyMatch(line -> line.endsWith(" " + real) || line.endsWith(" " + library));
        if (!mapped) return null;
        return library.getFileName() + " is still mapped after it was unloaded: " + likelyCause(library)
                + "; each reload of it keeps another copy in memory until the engine exits";
    }

    /** True when the dynamic linker still has {@code library} loaded, or when it cannot be asked. */
    private static boolean listedByDynamicLinker(Path library) {
        if (DLOPEN == null || DLCLOSE == null) return true;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment handle = (MemorySegment) DLOPEN.invokeExact(arena.allocateFrom(library.toString()),
                    RTLD_LAZY | RTLD_NOLOAD);
            if (handle.equals(MemorySegment.NULL)) return false;
            int ignored = (int) DLCLOSE.invokeExact(handle); // RTLD_NOLOAD counted one more reference
            return true;
        } catch (Throwable t) {
            return true; // the maps decide
        }
    }

    private static String realPath(Path p) {
        try {
            return p.toRealPath().toString();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize().toString();
        }
    }

    /** What in the library's ELF keeps the dynamic loader from unmapping it. */
    static String likelyCause(Path library) {
        try (FileChannel ch = FileChannel.open(library, StandardOpenOption.READ)) {
            ByteBuffer elf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
            long shoff = elf.getLong(0x28);
            int shentsize = Short.toUnsignedInt(elf.getShort(0x3A));
            int shnum = Short.toUnsignedInt(elf.getShort(0x3C));
            for (int i = 0; i < shnum; i++) {
                int header = (int) (shoff + (long) i * shentsize);
                int type = elf.getInt(header + 4);
                long offset = elf.getLong(header + 24), size = elf.getLong(header + 32);
                if (type == SHT_DYNAMIC && hasNodelete(elf, offset, size)) {
                    return "it is marked NODELETE (linked with -z nodelete), so the loader never unloads it";
                }
                if (type == SHT_DYNSYM && hasUniqueSymbol(elf, offset, size, Math.max(24, elf.getLong(header + 56)))) {
                    return "it defines STB_GNU_UNIQUE symbols (C++ inline or template statics), which glibc never unloads";
                }
            }
        } catch (IOException | RuntimeException e) {
            // the file may be gone already: fall through to the causes that are not in the ELF
        }
        return "something still holds it (a thread it started is still running, or it loaded itself with dlopen)";
    }

    private static boolean hasNodelete(ByteBuffer elf, long offset, long size) {
        for (long at = offset; at + 16 <= offset + size; at += 16) {
            long tag = elf.getLong((int) at);
            if (tag == 0) break;
            if (tag == DT_FLAGS_1 && (elf.getLong((int) at + 8) & DF_1_NODELETE) != 0) return true;
        }
        return false;
    }

    private static boolean hasUniqueSymbol(ByteBuffer elf, long offset, long size, long entsize) {
        for (long at = offset; at + 24 <= offset + size; at += entsize) {
            if (((elf.get((int) at + 4) & 0xff) >> 4) == STB_GNU_UNIQUE) return true;
        }
        return false;
    }
}
