package dev.kiln.build;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Works around a bug of Zig 0.17.1's incremental ELF linker (used by {@link
 * ScriptCompiler.Mode#DEVELOPMENT}): its shared libraries carry a {@code DT_VERSYM} entry but
 * neither {@code DT_VERNEED} nor {@code DT_VERDEF}. glibc's loader then reads symbol versions
 * from a table it never allocated and crashes the process inside {@code dlopen} (a read at
 * address 0x20). Without version definitions the version indices mean nothing, so the entry is
 * removed from the dynamic section (the entries after it move up, a {@code DT_NULL} ends it):
 * symbols are then looked up unversioned, which is what the library needs.
 */
final class OrphanVersymFix {
    private static final long PT_DYNAMIC = 2;
    private static final long DT_NULL = 0;
    private static final long DT_VERSYM = 0x6ffffff0L;
    private static final long DT_VERDEF = 0x6ffffffcL;
    private static final long DT_VERNEED = 0x6ffffffeL;
    private static final int DYN_ENTRY_BYTES = 16;
    /** A dynamic section with more entries than this is not one a Zig script library has. */
    private static final int DYN_ENTRIES_MAX = 4096;
    private static final byte ELFCLASS64 = 2;
    private static final byte ELFDATA2LSB = 1;

    private OrphanVersymFix() {}

    /** Fixes {@code library} in place; true when it had the orphan entry. Other files are left as they are. */
    static boolean apply(Path library) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(library.toFile(), "rw")) {
            ByteBuffer header = read(f, 0, 64);
            if (header == null || header.getInt(0) != 0x464c457f || header.get(4) != ELFCLASS64
                    || header.get(5) != ELFDATA2LSB) {
                return false; // not a 64-bit little-endian ELF: the loader's own checks report it
            }
            long phoff = header.getLong(0x20);
            int phentsize = Short.toUnsignedInt(header.getShort(0x36));
            int phnum = Short.toUnsignedInt(header.getShort(0x38));
            for (int i = 0; i < phnum; i++) {
                ByteBuffer ph = read(f, phoff + (long) i * phentsize, 56);
                if (ph == null) return false;
                if (Integer.toUnsignedLong(ph.getInt(0)) == PT_DYNAMIC) {
                    return fixDynamic(f, ph.getLong(8), ph.getLong(32));
                }
            }
            return false;
        }
    }

    private static boolean fixDynamic(RandomAccessFile f, long offset, long size) throws IOException {
        int count = (int) Math.min(size / DYN_ENTRY_BYTES, DYN_ENTRIES_MAX);
        ByteBuffer dyn = read(f, offset, count * DYN_ENTRY_BYTES);
        if (dyn == null) return false;
        int versym = -1, end = count;
        boolean versions = false;
        for (int i = 0; i < count; i++) {
            long tag = dyn.getLong(i * DYN_ENTRY_BYTES);
            if (tag == DT_NULL) {
                end = i;
                break;
            }
            if (tag == DT_VERSYM) versym = i;
            if (tag == DT_VERDEF || tag == DT_VERNEED) versions = true;
        }
        if (versym < 0 || versions) return false;
        byte[] bytes = dyn.array();
        System.arraycopy(bytes, (versym + 1) * DYN_ENTRY_BYTES, bytes, versym * DYN_ENTRY_BYTES,
                (end - versym - 1) * DYN_ENTRY_BYTES);
        Arrays.fill(bytes, (end - 1) * DYN_ENTRY_BYTES, end * DYN_ENTRY_BYTES, (byte) 0); // DT_NULL
        f.seek(offset);
        f.write(bytes, 0, end * DYN_ENTRY_BYTES);
        return true;
    }

    /** {@code length} bytes at {@code at}, or null when the file is shorter (truncated: not ours to fix). */
    private static ByteBuffer read(RandomAccessFile f, long at, int length) throws IOException {
        if (at < 0 || at + length > f.length()) return null;
        byte[] b = new byte[length];
        f.seek(at);
        f.readFully(b);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }
}
