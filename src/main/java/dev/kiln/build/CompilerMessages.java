package dev.kiln.build;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What `zig build-lib --listen=-` said, read from its stdout: the compiler server protocol of
 * the pinned Zig (lib/std/zig/Server.zig). Each message is a little-endian {tag: u32,
 * bytes_len: u32} header and a body. Kiln uses three: {@code file_system_inputs} (every file
 * the compilation read or tried to read, missing ones included), {@code error_bundle} (the
 * diagnostics, see {@link ErrorBundleText}) and {@code emit_digest} (where the output is in
 * the cache: o/&lt;digest&gt;/).
 */
record CompilerMessages(List<Path> inputs, String errors, String digest) {
    private static final int TAG_ERROR_BUNDLE = 1;
    private static final int TAG_EMIT_DIGEST = 2;
    private static final int TAG_FILE_SYSTEM_INPUTS = 6;
    /** Cache.zig's path prefixes (sent +1): 1 is the zig lib dir, 2 and 3 the caches. */
    private static final int PREFIX_ZIG_LIB = 1;
    private static final int PREFIX_GLOBAL_CACHE = 3;

    /** Parses the whole stdout of a finished compiler; a truncated tail (a killed compiler) is ignored. */
    static CompilerMessages parse(byte[] stdout, Path cwd, UnaryOperator<String> errorPath) {
        ByteBuffer in = ByteBuffer.wrap(stdout).order(ByteOrder.LITTLE_ENDIAN);
        List<Path> inputs = new ArrayList<>();
        StringBuilder errors = new StringBuilder();
        String digest = null;
        while (in.remaining() >= 8) {
            int tag = in.getInt();
            int len = in.getInt();
            if (len < 0 || len > in.remaining()) break;
            ByteBuffer body = in.slice(in.position(), len).order(ByteOrder.LITTLE_ENDIAN);
            in.position(in.position() + len);
            switch (tag) {
                case TAG_FILE_SYSTEM_INPUTS -> inputs.addAll(inputs(body, cwd));
                case TAG_ERROR_BUNDLE -> errors.append(ErrorBundleText.render(body, errorPath));
                case TAG_EMIT_DIGEST -> {
                    body.get(); // flags (cache_hit)
                    byte[] d = new byte[body.remaining()];
                    body.get(d);
                    digest = HexFormat.of().formatHex(d);
                }
                default -> { } // zig_version, config, time reports: not needed
            }
        }
        return new CompilerMessages(List.copyOf(inputs), errors.toString(), digest);
    }

    /** Null-separated paths, each led by its prefix byte + 1; paths outside cwd are absolute. */
    private static List<Path> inputs(ByteBuffer body, Path cwd) {
        byte[] bytes = new byte[body.remaining()];
        body.get(bytes);
        List<Path> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i < bytes.length && bytes[i] != 0) continue;
            if (i - start >= 2) {
                int prefix = (bytes[start] & 0xff) - 1;
                String path = new String(bytes, start + 1, i - start - 1, StandardCharsets.UTF_8);
                boolean toolchainOrCache = prefix >= PREFIX_ZIG_LIB && prefix <= PREFIX_GLOBAL_CACHE;
                if (!toolchainOrCache) out.add(cwd.resolve(path).normalize());
            }
            start = i + 1;
        }
        return out;
    }
}
