package dev.kiln.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The build dir's content-addressed libraries: an output is named by a SHA-256 of everything
 * that goes into it (the sources, the SDK, the compiler's version, the optimize mode), so a
 * path the loader has mapped is never overwritten and an unchanged script is not rebuilt; and
 * Zig's own caches, kept in the same dir. Any thread (no state beyond its settings).
 */
final class BuildCache {
    private final ZigToolchain zig;
    private final Path kilnHome;
    private final Path buildDir;
    private final ScriptCompiler.Mode mode;

    BuildCache(ZigToolchain zig, Path kilnHome, Path buildDir, ScriptCompiler.Mode mode) {
        this.zig = zig;
        this.kilnHome = kilnHome;
        this.buildDir = buildDir;
        this.mode = mode;
    }

    /** The environment of every compiler run: Zig's caches in the build dir (a warm rebuild takes a fraction of a second). */
    Map<String, String> env() {
        return Map.of("ZIG_GLOBAL_CACHE_DIR", buildDir.resolve("zig-global-cache").toString(),
                "ZIG_LOCAL_CACHE_DIR", buildDir.resolve("zig-cache").toString());
    }

    /**
     * A cached library handed out again counts as recent: the reload's pruning of build/libs
     * keeps the newest versions, and must not delete one that is about to be loaded.
     */
    static void markUsed(Path library) {
        try {
            Files.setLastModifiedTime(library, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException e) {
            // read-only build dir: pruning cannot delete there either
        }
    }

    Path outputPath(String name, String hash) {
        return buildDir.resolve("libs").resolve("lib" + name + "-" + hash.substring(0, 16) + ".so");
    }

    private static List<Path> sdkFiles(Path sdk) {
        try (Stream<Path> files = Files.walk(sdk)) {
            return files.filter(f -> f.toString().endsWith(".zig")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the SDK at " + sdk, e);
        }
    }

    String contentHash(Path source, List<Path> inputs, String kind) {
        return hash(kind, sha -> {
            sha.update(readAll(source));
            for (Path p : inputs) {
                sha.update(p.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                sha.update(readAll(p));
            }
        });
    }

    /** The cache key of a Zig script: the snapshot's bytes (what the compiler reads) and the SDK. */
    String zigHash(Path script, SourceSnapshot snap) {
        List<Path> sdk = sdkFiles(KilnHome.sdkDir(kilnHome));
        return hash("zig", sha -> {
            snap.digest(sha, script.getParent());
            for (Path p : sdk) {
                sha.update(p.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                sha.update(readAll(p));
            }
        });
    }

    /** A SHA-256 (hex) of {@code kind}, the compiler version, the mode and what {@code content} feeds in. */
    String hash(String kind, Consumer<MessageDigest> content) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((kind + "\0" + zig.version() + "\0" + mode + "\0").getBytes(StandardCharsets.UTF_8));
            content.accept(sha);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] readAll(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }
}
