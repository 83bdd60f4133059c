package dev.kiln.abi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.state.StateType;
import dev.kiln.state.StateTypeJson;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and checks the kiln_script_info a library's kiln_script_metadata() returned: versions,
 * bounds, strings and tables. Every pointer in it is followed through {@link Pointers}, so an
 * isolated library's metadata (copied into its shared region by its host process) is read only
 * inside that region.
 */
public final class ScriptInfoReader {
    /** Longest metadata string read (names, hashes); a longer one is corrupt metadata. */
    static final int METADATA_STRING_MAX = 4096;
    /** More State fields than this is corrupt metadata, not a real script. */
    private static final int STATE_FIELDS_MAX = 4096;
    /** A State larger than this is refused (it is allocated per instance). */
    public static final int STATE_SIZE_MAX = 1 << 20;
    /** Longest State type description read (KILN_STATE_TYPE_MAX; the SDK refuses longer at compile time). */
    public static final int STATE_TYPE_MAX = 64 * 1024;
    /** kiln_field_info's type, offset and size, read per State field. */
    private static final long FIELD_TYPE = Layouts.offset(Layouts.FIELD_INFO, "type"),
            FIELD_OFFSET = Layouts.offset(Layouts.FIELD_INFO, "offset"),
            FIELD_SIZE = Layouts.offset(Layouts.FIELD_INFO, "size");

    /** How a pointer found in the metadata becomes readable memory. */
    public interface Pointers {
        /** {@code bytes} at {@code pointer}; throws IndexOutOfBoundsException when not allowed. */
        MemorySegment table(MemorySegment pointer, long bytes);

        /** Memory at {@code pointer} to look for a NUL in: at most {@code max} bytes. */
        MemorySegment string(MemorySegment pointer, long max);
    }

    /** In the engine's process: the library's own memory, trusted as far as its ELF checks go. */
    public static final Pointers IN_PROCESS = new Pointers() {
        @Override
        public MemorySegment table(MemorySegment pointer, long bytes) {
            return pointer.reinterpret(bytes);
        }

        @Override
        public MemorySegment string(MemorySegment pointer, long max) {
            return pointer.reinterpret(max);
        }
    };

    /**
     * Pointers followed only inside {@code memory} (an isolated host's shared region): anything
     * else is an IndexOutOfBoundsException, reported as bad metadata.
     */
    public static Pointers within(MemorySegment memory) {
        return new Pointers() {
            @Override
            public MemorySegment table(MemorySegment pointer, long bytes) {
                return inside(memory, pointer.address(), bytes);
            }

            @Override
            public MemorySegment string(MemorySegment pointer, long max) {
                long room = memory.address() + memory.byteSize() - pointer.address();
                return inside(memory, pointer.address(), Math.max(0, Math.min(max, room)));
            }
        };
    }

    /**
     * The {@code bytes} of {@code memory} at absolute {@code address}; an
     * IndexOutOfBoundsException when any of them lies outside it.
     */
    public static MemorySegment inside(MemorySegment memory, long address, long bytes) {
        long offset = address - memory.address();
        if (offset < 0 || bytes < 0 || offset > memory.byteSize() - bytes) {
            throw new IndexOutOfBoundsException("0x" + Long.toHexString(address) + " + " + bytes
                    + " is outside the shared memory");
        }
        return memory.asSlice(offset, bytes);
    }

    private ScriptInfoReader() {}

    public static ScriptInfo read(Path path, MemorySegment s, Pointers pointers) throws LibraryLoadException {
        int abiVersion = s.get(JAVA_INT, Layouts.offset(Layouts.SCRIPT_INFO, "abi_version"));
        if (abiVersion != Layouts.ABI_VERSION) {
            throw new LibraryLoadException(LibraryLoadException.Reason.ABI_MISMATCH, path,
                    "built for Kiln ABI version " + abiVersion + ", but this engine speaks ABI version "
                            + Layouts.ABI_VERSION + "; rebuild the script with this engine's SDK");
        }
        int structVersion = s.get(JAVA_INT, Layouts.offset(Layouts.SCRIPT_INFO, "struct_version"));
        int structSize = s.get(JAVA_INT, Layouts.offset(Layouts.SCRIPT_INFO, "struct_size"));
        if (structVersion < 1 || structSize < Layouts.SCRIPT_INFO.byteSize()) {
            throw new LibraryLoadException(LibraryLoadException.Reason.BAD_METADATA, path,
                    "kiln_script_info has struct_version " + structVersion + " and struct_size " + structSize
                            + "; this engine needs version >= 1 and size >= " + Layouts.SCRIPT_INFO.byteSize());
        }
        int stateSize = s.get(JAVA_INT, Layouts.offset(Layouts.SCRIPT_INFO, "state_size"));
        int stateAlign = s.get(JAVA_INT, Layouts.offset(Layouts.SCRIPT_INFO, "state_align"));
        if (stateSize < 0 || stateSize > STATE_SIZE_MAX || stateAlign <= 0 || Integer.bitCount(stateAlign) != 1
                || stateAlign > 4096) {
            throw new LibraryLoadException(LibraryLoadException.Reason.BAD_METADATA, path,
                    "state_size " + stateSize + " / state_align " + stateAlign + " out of bounds (size <= "
                            + STATE_SIZE_MAX + ", align a power of two <= 4096)");
        }
        String name = string(path, pointers, s.get(ADDRESS, Layouts.offset(Layouts.SCRIPT_INFO, "name")), "name");
        if (name.isEmpty()) {
            throw new LibraryLoadException(LibraryLoadException.Reason.BAD_METADATA, path, "script name is empty");
        }
        List<ScriptInfo.StateField> fields = readFields(path, s, pointers);
        return new ScriptInfo(abiVersion, structVersion, name,
                string(path, pointers, s.get(ADDRESS, Layouts.offset(Layouts.SCRIPT_INFO, "source_hash")), "source_hash"),
                s.get(JAVA_LONG, Layouts.offset(Layouts.SCRIPT_INFO, "build_time_unix")),
                s.get(JAVA_INT, Layouts.offset(Layouts.SCRIPT_INFO, "default_phase")),
                stateSize, stateAlign, fields, readExports(path, s, pointers),
                readDefaults(path, s, stateSize, pointers), readStateType(path, s, structVersion, stateSize, fields, pointers),
                structVersion < 2 ? 0 : s.get(JAVA_INT, Layouts.offset(Layouts.SCRIPT_INFO, "build_mode")),
                structVersion < 2 ? null : optionalString(path, pointers, s.get(ADDRESS,
                        Layouts.offset(Layouts.SCRIPT_INFO, "source_commit")), "source_commit"),
                structVersion < 2 ? 0 : s.get(JAVA_INT, Layouts.offset(Layouts.SCRIPT_INFO, "snapshot_reads")));
    }

    /** The State's full type (struct version 2), else the flat field table read as one. */
    private static StateType.StructType readStateType(Path path, MemorySegment s, int structVersion, int stateSize,
                                                      List<ScriptInfo.StateField> fields, Pointers pointers)
            throws LibraryLoadException {
        MemorySegment pointer = structVersion < 2 ? MemorySegment.NULL
                : s.get(ADDRESS, Layouts.offset(Layouts.SCRIPT_INFO, "state_type"));
        if (pointer.equals(MemorySegment.NULL)) return ScriptInfo.typeOfFieldTable(fields, stateSize);
        String json;
        try {
            json = pointers.string(pointer, STATE_TYPE_MAX + 1L).getString(0);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new LibraryLoadException(LibraryLoadException.Reason.BAD_METADATA, path,
                    "state_type is not a NUL-terminated string of at most " + STATE_TYPE_MAX + " bytes");
        }
        long witness = structVersion < 3 ? 0 : s.get(JAVA_LONG, Layouts.offset(Layouts.SCRIPT_INFO, "state_type_hash"));
        if (witness != 0 && StateTypeHash.of(json) != witness) {
            throw new LibraryLoadException(LibraryLoadException.Reason.STALE_METADATA, path,
                    "state_type does not hash to state_type_hash: the State description belongs to another build");
        }
        StateType.StructType type;
        try {
            type = StateTypeJson.parse(json, stateSize);
        } catch (IllegalArgumentException e) {
            // With a witness, the description is this build's own: a size that disagrees means
            // the plain numbers (state_size) came from another build than the strings.
            throw new LibraryLoadException(witness != 0 ? LibraryLoadException.Reason.STALE_METADATA
                    : LibraryLoadException.Reason.BAD_METADATA, path, e.getMessage());
        }
        if (witness != 0) {
            String mismatch = StateTypeHash.fieldTableMismatch(type, fields);
            if (mismatch != null) throw new LibraryLoadException(LibraryLoadException.Reason.STALE_METADATA, path, mismatch);
        }
        return type;
    }

    private static byte[] readDefaults(Path path, MemorySegment s, int stateSize, Pointers pointers)
            throws LibraryLoadException {
        MemorySegment pointer = s.get(ADDRESS, Layouts.offset(Layouts.SCRIPT_INFO, "state_defaults"));
        if (pointer.equals(MemorySegment.NULL) || stateSize == 0) return new byte[stateSize];
        return table(path, pointers, pointer, stateSize, "state_defaults").toArray(JAVA_BYTE);
    }

    private static List<ScriptInfo.StateField> readFields(Path path, MemorySegment s, Pointers pointers) throws LibraryLoadException {
        int count = s.get(JAVA_INT, Layouts.offset(Layouts.SCRIPT_INFO, "state_field_count"));
        if (count < 0 || count > STATE_FIELDS_MAX) {
            throw new LibraryLoadException(LibraryLoadException.Reason.BAD_METADATA, path, "state_field_count " + count);
        }
        List<ScriptInfo.StateField> fields = new ArrayList<>(count);
        if (count == 0) return fields;
        long size = Layouts.FIELD_INFO.byteSize();
        MemorySegment table = table(path, pointers, s.get(ADDRESS, Layouts.offset(Layouts.SCRIPT_INFO, "state_fields")),
                count * size, "state_fields");
        for (int i = 0; i < count; i++) {
            long at = i * size;
            fields.add(new ScriptInfo.StateField(string(path, pointers, table.get(ADDRESS, at), "state field name"),
                    table.get(JAVA_INT, at + FIELD_TYPE), table.get(JAVA_INT, at + FIELD_OFFSET),
                    table.get(JAVA_INT, at + FIELD_SIZE)));
        }
        return fields;
    }

    private static List<String> readExports(Path path, MemorySegment s, Pointers pointers) throws LibraryLoadException {
        int count = s.get(JAVA_INT, Layouts.offset(Layouts.SCRIPT_INFO, "export_count"));
        if (count < 0 || count > 256) {
            throw new LibraryLoadException(LibraryLoadException.Reason.BAD_METADATA, path, "export_count " + count);
        }
        List<String> out = new ArrayList<>(count);
        if (count == 0) return out;
        MemorySegment table = table(path, pointers, s.get(ADDRESS, Layouts.offset(Layouts.SCRIPT_INFO, "exports")),
                8L * count, "exports");
        for (int i = 0; i < count; i++) out.add(string(path, pointers, table.get(ADDRESS, 8L * i), "export name"));
        return out;
    }

    /** A metadata string that may be NULL (then null). */
    private static String optionalString(Path path, Pointers pointers, MemorySegment pointer, String what)
            throws LibraryLoadException {
        return pointer.equals(MemorySegment.NULL) ? null : string(path, pointers, pointer, what);
    }

    private static String string(Path path, Pointers pointers, MemorySegment pointer, String what) throws LibraryLoadException {
        if (pointer.equals(MemorySegment.NULL)) {
            throw new LibraryLoadException(LibraryLoadException.Reason.BAD_METADATA, path, what + " is NULL");
        }
        try {
            return pointers.string(pointer, METADATA_STRING_MAX).getString(0);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new LibraryLoadException(LibraryLoadException.Reason.BAD_METADATA, path,
                    what + " is not a NUL-terminated string of at most " + METADATA_STRING_MAX + " bytes");
        }
    }

    private static MemorySegment table(Path path, Pointers pointers, MemorySegment pointer, long bytes, String what)
            throws LibraryLoadException {
        if (pointer.equals(MemorySegment.NULL)) {
            throw new LibraryLoadException(LibraryLoadException.Reason.BAD_METADATA, path, what + " is NULL");
        }
        // Tables of pointers and ints are read 8-aligned (found by IsolatedMetadataFuzzTest:
        // a misaligned table made the read throw instead of refusing the library).
        if (!what.equals("state_defaults") && pointer.address() % 8 != 0) {
            throw new LibraryLoadException(LibraryLoadException.Reason.BAD_METADATA, path,
                    what + " at 0x" + Long.toHexString(pointer.address()) + " is not 8-byte aligned");
        }
        try {
            return pointers.table(pointer, bytes);
        } catch (IndexOutOfBoundsException e) {
            throw new LibraryLoadException(LibraryLoadException.Reason.BAD_METADATA, path,
                    what + " points outside the memory the library may share with the engine");
        }
    }
}
