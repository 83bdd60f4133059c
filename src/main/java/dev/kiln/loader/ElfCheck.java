package dev.kiln.loader;

import dev.kiln.abi.LibraryLoadException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Checks a shared library's ELF header before dlopen. dlopen maps a truncated file without
 * complaint and the process dies later with SIGBUS when code past the end is touched, so the
 * engine refuses such a file up front; it also names a wrong architecture plainly.
 */
public final class ElfCheck {
    private static final int EM_X86_64 = 62;
    private static final int EM_AARCH64 = 183;
    private static final int ET_DYN = 3;
    private static final int PT_LOAD = 1;

    private ElfCheck() {}

    /** Null when the file looks like a complete shared library for this machine, else why not. */
    /** Refuses a path that is not a file, or not a shared library this machine can load. */
    public static void requireLoadable(Path path) throws LibraryLoadException {
        if (!Files.isRegularFile(path)) {
            throw new LibraryLoadException(LibraryLoadException.Reason.NOT_FOUND, path, "no such file");
        }
        String problem = problem(path);
        if (problem != null) {
            throw new LibraryLoadException(LibraryLoadException.Reason.NOT_LOADABLE, path,
                    "not a loadable shared library for this machine: " + problem);
        }
    }

    static String problem(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 64) return "file has " + size + " bytes, too short for an ELF header";
            ByteBuffer h = read(ch, 0, 64);
            if (h.getInt(0) != 0x464c457f) return "not an ELF file (bad magic)";
            if (h.get(4) != 2 || h.get(5) != 1) return "not a 64-bit little-endian ELF file";
            if (Short.toUnsignedInt(h.getShort(16)) != ET_DYN) return "not a shared library (ELF type is not ET_DYN)";
            int machine = Short.toUnsignedInt(h.getShort(18));
            int expected = hostMachine();
            if (expected != 0 && machine != expected) {
                return "built for " + machineName(machine) + ", but this machine is " + machineName(expected);
            }
            long phoff = h.getLong(0x20);
            long shoff = h.getLong(0x28);
            int phentsize = Short.toUnsignedInt(h.getShort(0x36));
            int phnum = Short.toUnsignedInt(h.getShort(0x38));
            int shentsize = Short.toUnsignedInt(h.getShort(0x3A));
            int shnum = Short.toUnsignedInt(h.getShort(0x3C));
            if (phoff + (long) phentsize * phnum > size) return truncated(phoff + (long) phentsize * phnum, size);
            if (shnum > 0 && shoff + (long) shentsize * shnum > size) return truncated(shoff + (long) shentsize * shnum, size);
            ByteBuffer ph = read(ch, phoff, phentsize * phnum);
            for (int i = 0; i < phnum; i++) {
                int at = i * phentsize;
                if (ph.getInt(at) != PT_LOAD) continue;
                long end = ph.getLong(at + 0x08) + ph.getLong(at + 0x20);
                if (end > size) return truncated(end, size);
            }
            return null;
        } catch (IOException e) {
            return "cannot read: " + e.getMessage();
        }
    }

    private static String truncated(long needed, long size) {
        return "truncated: its ELF headers describe " + needed + " bytes but the file has " + size;
    }

    private static ByteBuffer read(FileChannel ch, long at, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining() && ch.read(b, at + b.position()) > 0) {
            // keep reading until full or EOF
        }
        return b.flip();
    }

    private static int hostMachine() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> EM_X86_64;
            case "aarch64", "arm64" -> EM_AARCH64;
            default -> 0;
        };
    }

    private static String machineName(int machine) {
        return switch (machine) {
            case EM_X86_64 -> "x86_64";
            case EM_AARCH64 -> "aarch64";
            case 3 -> "x86 (32-bit)";
            case 40 -> "arm (32-bit)";
            case 243 -> "riscv";
            default -> "ELF machine " + machine;
        };
    }
}
