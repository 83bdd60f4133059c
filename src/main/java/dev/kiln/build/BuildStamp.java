package dev.kiln.build;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The source hash and build time of a warm compiler's library, written into the built bytes
 * instead of compiled in. They reach the SDK as comptime arguments of its export generator, so a
 * new value in build_info.zig makes the compiler re-run the whole generator (State reflection,
 * metadata): 60–90 ms of a 10 ms update. The warm compiler's build_info.zig therefore holds
 * placeholders that never change, and {@link #stamp} replaces every occurrence in the library
 * copied out of Zig's cache. A placeholder that is not found fails the build, naming it.
 */
final class BuildStamp {
    /** As long as a SHA-256 in hex (64 characters), so the hash replaces it byte for byte. */
    static final String HASH_PLACEHOLDER = "kiln-source-hash-placeholder-0123456789abcdef0123456789abcdef012";
    /** "KILNTIME" read as a little-endian i64: no real build time or other constant looks like it. */
    static final long TIME_PLACEHOLDER = 0x454D49544E4C494BL;

    private BuildStamp() {}

    /** build_info.zig of a warm compiler: the placeholders, never a value that changes per build. */
    static String placeholderBuildInfo(String escapedName, String commitLine) {
        return "pub const name: [:0]const u8 = \"" + escapedName + "\";\n"
                + "pub const source_hash: [:0]const u8 = \"" + HASH_PLACEHOLDER + "\";\n"
                + "pub const build_time_unix: i64 = " + TIME_PLACEHOLDER + ";\n"
                + commitLine;
    }

    /**
     * Writes {@code hash} and {@code timeUnix} over every placeholder in {@code library}'s
     * bytes; returns the error text when one of them is missing (then the bytes are not usable),
     * null on success.
     */
    static String stamp(byte[] library, String hash, long timeUnix) {
        byte[] hashPlaceholder = HASH_PLACEHOLDER.getBytes(StandardCharsets.US_ASCII);
        byte[] hashBytes = hash.getBytes(StandardCharsets.US_ASCII);
        if (hashBytes.length != hashPlaceholder.length) {
            return "error: source hash " + hash + " is not " + hashPlaceholder.length + " characters";
        }
        int hashes = replaceAll(library, hashPlaceholder, hashBytes);
        int times = replaceAll(library, le(TIME_PLACEHOLDER), le(timeUnix));
        if (hashes == 0 || times == 0) {
            return "error: the built library lacks the " + (hashes == 0 ? "source hash" : "build time")
                    + " placeholder the development build stamps (zig/sdk/entry/entry.zig must pass build_info through)";
        }
        return null;
    }

    private static byte[] le(long v) {
        return ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    /**
     * Replaces every occurrence of {@code from} (same length as {@code to}); returns how many.
     * Searches a Latin-1 view of the bytes: String.indexOf is vectorized, a byte loop over a
     * 6 MB Debug library is not.
     */
    private static int replaceAll(byte[] in, byte[] from, byte[] to) {
        String text = new String(in, StandardCharsets.ISO_8859_1);
        String needle = new String(from, StandardCharsets.ISO_8859_1);
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + from.length)) {
            System.arraycopy(to, 0, in, i, to.length);
            count++;
        }
        return count;
    }
}
