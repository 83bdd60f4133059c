package dev.kiln.loader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Function names of a library's full symbol table (.symtab, falling back to .dynsym), so a
 * fault's return addresses read as `faulty.update + 0x1c` rather than the nearest exported
 * symbol dladdr knows. Read lazily, once per library file.
 */
final class ElfSymbols {
    private static final int SHT_SYMTAB = 2;
    private static final int SHT_DYNSYM = 11;
    private static final int STT_FUNC = 2;
    private static final Map<Path, ElfSymbols> CACHE = new ConcurrentHashMap<>();

    private record Function(long start, long size, String name) {}

    private final Function[] functions;

    private ElfSymbols(Function[] functions) {
        this.functions = functions;
    }

    static ElfSymbols of(Path library) {
        return CACHE.computeIfAbsent(library, ElfSymbols::read);
    }

    /** Drops a closed library's table: one per loaded version would otherwise pile up. */
    static void forget(Path library) {
        CACHE.remove(library);
    }

    /** "name + 0x1c", or null when no function covers {@code offset}. */
    String nameAt(long offset) {
        int lo = 0, hi = functions.length - 1, found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (functions[mid].start() <= offset) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) return null;
        Function f = functions[found];
        if (f.size() > 0 && offset >= f.start() + f.size()) return null;
        return f.name() + " + 0x" + Long.toHexString(offset - f.start());
    }

    private static ElfSymbols read(Path library) {
        try (FileChannel ch = FileChannel.open(library, StandardOpenOption.READ)) {
            ByteBuffer elf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
            long shoff = elf.getLong(0x28);
            int shentsize = Short.toUnsignedInt(elf.getShort(0x3A));
            int shnum = Short.toUnsignedInt(elf.getShort(0x3C));
            int table = findTable(elf, shoff, shentsize, shnum, SHT_SYMTAB);
            if (table < 0) table = findTable(elf, shoff, shentsize, shnum, SHT_DYNSYM);
            if (table < 0) return new ElfSymbols(new Function[0]);
            return new ElfSymbols(functions(elf, shoff, shentsize, table));
        } catch (IOException | RuntimeException e) {
            return new ElfSymbols(new Function[0]); // names are a nicety: addresses still print
        }
    }

    private static int findTable(ByteBuffer elf, long shoff, int shentsize, int shnum, int type) {
        for (int i = 0; i < shnum; i++) {
            if (elf.getInt((int) (shoff + (long) i * shentsize + 4)) == type) return i;
        }
        return -1;
    }

    private static Function[] functions(ByteBuffer elf, long shoff, int shentsize, int table) {
        int header = (int) (shoff + (long) table * shentsize);
        long offset = elf.getLong(header + 24);
        long size = elf.getLong(header + 32);
        int link = elf.getInt(header + 40);
        long entsize = Math.max(24, elf.getLong(header + 56));
        long strOffset = elf.getLong((int) (shoff + (long) link * shentsize + 24));
        List<Function> out = new ArrayList<>();
        for (long at = offset; at + 24 <= offset + size; at += entsize) {
            int info = elf.get((int) at + 4) & 0xff;
            long value = elf.getLong((int) at + 8);
            if ((info & 0xf) != STT_FUNC || value == 0) continue;
            out.add(new Function(value, elf.getLong((int) at + 16), cString(elf, strOffset + elf.getInt((int) at))));
        }
        Function[] sorted = out.toArray(Function[]::new);
        Arrays.sort(sorted, Comparator.comparingLong(Function::start));
        return sorted;
    }

    private static String cString(ByteBuffer elf, long at) {
        int end = (int) at;
        while (end < elf.limit() && elf.get(end) != 0) end++;
        byte[] bytes = new byte[end - (int) at];
        elf.get((int) at, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
