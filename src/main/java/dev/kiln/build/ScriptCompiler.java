package dev.kiln.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds Zig (and C) scripts into shared libraries. Outputs are named by a hash of everything
 * that goes into them (script, SDK, compiler version, mode), so a path the loader has mapped
 * is never overwritten, and an unchanged script is not rebuilt. Zig's caches live in the build
 * dir, so a warm rebuild takes a fraction of a second.
 */
public final class ScriptCompiler {
    /** How long one build may take before it is killed and reported. */
    public static final long BUILD_TIMEOUT_SECONDS = 300;

    /** Zig optimize mode of script libraries. */
    public enum Mode {
        DEBUG("Debug"), RELEASE_SAFE("ReleaseSafe"), RELEASE_FAST("ReleaseFast");

        final String zigName;

        Mode(String zigName) {
            this.zigName = zigName;
        }
    }

    private final ZigToolchain zig;
    private final Path kilnHome;
    private final Path buildDir;
    private final Mode mode;

    public ScriptCompiler(ZigToolchain zig, Path kilnHome, Path buildDir, Mode mode) {
        this.zig = zig;
        this.kilnHome = kilnHome;
        this.buildDir = buildDir.toAbsolutePath();
        this.mode = mode;
    }

    /** A compiler for this checkout, building into {@code buildDir} in ReleaseSafe mode. */
    public static ScriptCompiler forHome(Path buildDir) {
        Path home = KilnHome.locate();
        return new ScriptCompiler(ZigToolchain.locate(home), home, buildDir, Mode.RELEASE_SAFE);
    }

    public Path buildDir() {
        return buildDir;
    }

    public ZigToolchain zig() {
        return zig;
    }

    /** Script name a source file gets: its file name without extension. */
    public static String scriptName(Path source) {
        String file = source.getFileName().toString();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    /** Builds a Zig script file against the SDK. Never throws for a compile error: see the result. */
    public BuildResult build(Path source) {
        Path abs = source.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs)) return missing(abs);
        String name = scriptName(abs);
        Path sdk = KilnHome.sdkDir(kilnHome);
        List<Path> sources = ScriptSources.of(abs);
        List<Path> inputs = new ArrayList<>(sources.subList(1, sources.size())); // imported helper files
        inputs.addAll(sdkFiles(sdk));
        String hash = contentHash(abs, inputs, "zig");
        Path output = outputPath(name, hash);
        if (Files.isRegularFile(output)) return new BuildResult(abs, output, hash, List.of(), "", 0, true);

        Path genDir = buildDir.resolve("gen").resolve(name + "-" + hash.substring(0, 16));
        Path buildInfo = genDir.resolve("build_info.zig");
        write(buildInfo, "pub const name: [:0]const u8 = \"" + zigEscape(name) + "\";\n"
                + "pub const source_hash: [:0]const u8 = \"" + hash + "\";\n"
                + "pub const build_time_unix: i64 = " + (System.currentTimeMillis() / 1000) + ";\n");
        Path temp = genDir.resolve("lib" + name + ".so");
        List<String> cmd = new ArrayList<>(List.of(zig.executable().toString(), "build-lib", "-dynamic",
                "-O", mode.zigName, "--cache-dir", buildDir.resolve("zig-cache").toString(),
                "--global-cache-dir", buildDir.resolve("zig-global-cache").toString(),
                "-femit-bin=" + temp,
                "--dep", "kiln", "--dep", "script", "--dep", "build_info",
                "-Mroot=" + sdk.resolve("entry/entry.zig"),
                "-Mkiln=" + sdk.resolve("kiln.zig"),
                "--dep", "kiln", "-Mscript=" + abs,
                "-Mbuild_info=" + buildInfo));
        return run(cmd, abs, temp, output, hash);
    }

    /** Builds a C script against abi/kiln.h with `zig cc`, proving the ABI is plain C. */
    public BuildResult buildC(Path source) {
        Path abs = source.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs)) return missing(abs);
        String name = scriptName(abs);
        Path header = KilnHome.abiDir(kilnHome).resolve("kiln.h");
        String hash = contentHash(abs, List.of(header), "c");
        Path output = outputPath(name, hash);
        if (Files.isRegularFile(output)) return new BuildResult(abs, output, hash, List.of(), "", 0, true);
        Path temp = buildDir.resolve("gen").resolve(name + "-" + hash.substring(0, 16)).resolve("lib" + name + ".so");
        List<String> cmd = List.of(zig.executable().toString(), "cc", "-shared", "-fPIC", "-O2", "-std=c11",
                "-Wall", "-Wextra", "-Werror", "-I", KilnHome.abiDir(kilnHome).toString(),
                "-DKILN_SOURCE_HASH=\"" + hash + "\"", "-o", temp.toString(), abs.toString());
        return run(cmd, abs, temp, output, hash);
    }

    /** Builds the engine's fault guard (native/kiln_guard.c), a plain C library linked with libc. */
    public BuildResult buildGuard() {
        Path source = kilnHome.resolve("native/kiln_guard.c");
        String hash = contentHash(source, List.of(kilnHome.resolve("native/kiln_guard.h")), "guard");
        Path output = outputPath("kiln_guard", hash);
        if (Files.isRegularFile(output)) return new BuildResult(source, output, hash, List.of(), "", 0, true);
        Path temp = buildDir.resolve("gen").resolve("kiln_guard-" + hash.substring(0, 16)).resolve("libkiln_guard.so");
        List<String> cmd = List.of(zig.executable().toString(), "cc", "-shared", "-fPIC", "-O2", "-std=c11",
                "-Wall", "-Wextra", "-Werror", "-o", temp.toString(), source.toString());
        return run(cmd, source, temp, output, hash);
    }

    /**
     * Builds the native apply path (native/kiln_apply.c): the engine's own library that applies
     * the hot request kinds at the barrier. Cached by content like the guard.
     */
    public BuildResult buildApply() {
        Path source = kilnHome.resolve("native/kiln_apply.c");
        Path header = KilnHome.abiDir(kilnHome).resolve("kiln.h");
        String hash = contentHash(source, List.of(kilnHome.resolve("native/kiln_apply.h"), header), "apply");
        Path output = outputPath("kiln_apply", hash);
        if (Files.isRegularFile(output)) return new BuildResult(source, output, hash, List.of(), "", 0, true);
        Path temp = buildDir.resolve("gen").resolve("kiln_apply-" + hash.substring(0, 16)).resolve("libkiln_apply.so");
        // No -ffast-math: the finite checks must see NaN and infinities as Java does; no FMA
        // contraction: p + v * dt must round twice, as in Java. Baseline CPU: scalar code that
        // gains nothing from AVX-512, and valgrind (instruction counts) can run it.
        List<String> cmd = List.of(zig.executable().toString(), "cc", "-shared", "-fPIC", "-O2", "-std=c11",
                "-ffp-contract=off", "-mcpu=baseline", "-Wall", "-Wextra", "-Werror", "-I", KilnHome.abiDir(kilnHome).toString(), "-o", temp.toString(),
                source.toString());
        return run(cmd, source, temp, output, hash);
    }

    /**
     * Builds the isolated mode's host program (native/kiln_host.c with the fault guard), which
     * runs one script library in a process of its own.
     */
    public BuildResult buildHost() {
        Path native_ = kilnHome.resolve("native");
        Path source = native_.resolve("kiln_host.c");
        Path header = KilnHome.abiDir(kilnHome).resolve("kiln.h");
        String hash = contentHash(source, List.of(native_.resolve("kiln_guard.c"), native_.resolve("kiln_guard.h"), header),
                "host");
        Path output = buildDir.resolve("libs").resolve("kiln_host-" + hash.substring(0, 16));
        if (Files.isRegularFile(output)) return new BuildResult(source, output, hash, List.of(), "", 0, true);
        Path temp = buildDir.resolve("gen").resolve("kiln_host-" + hash.substring(0, 16)).resolve("kiln_host");
        List<String> cmd = List.of(zig.executable().toString(), "cc", "-O2", "-std=c11", "-Wall", "-Wextra", "-Werror",
                "-I", KilnHome.abiDir(kilnHome).toString(), "-I", native_.toString(), "-o", temp.toString(),
                source.toString(), native_.resolve("kiln_guard.c").toString());
        return run(cmd, source, temp, output, hash);
    }

    private BuildResult run(List<String> cmd, Path source, Path temp, Path output, String hash) {
        long start = System.nanoTime();
        try {
            Files.createDirectories(temp.getParent());
            Files.createDirectories(output.getParent());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("ZIG_GLOBAL_CACHE_DIR", buildDir.resolve("zig-global-cache").toString());
            pb.environment().put("ZIG_LOCAL_CACHE_DIR", buildDir.resolve("zig-cache").toString());
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            boolean finished = p.waitFor(BUILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!finished) p.destroyForcibly();
            String text = new String(out, StandardCharsets.UTF_8);
            long took = System.nanoTime() - start;
            if (!finished) {
                text += "\nerror: build took longer than " + BUILD_TIMEOUT_SECONDS + " s and was stopped";
            }
            if (!finished || p.exitValue() != 0 || !Files.isRegularFile(temp)) {
                return new BuildResult(source, null, hash, DiagnosticParser.parse(text), text, took, false);
            }
            // Publish atomically: the loader never sees a half-written library at the final path.
            Files.move(temp, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new BuildResult(source, output, hash, DiagnosticParser.parse(text), text, took, false);
        } catch (IOException e) {
            String text = "error: could not run " + cmd.getFirst() + ": " + e.getMessage();
            return new BuildResult(source, null, hash, DiagnosticParser.parse(text), text, System.nanoTime() - start, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            String text = "error: build interrupted";
            return new BuildResult(source, null, hash, DiagnosticParser.parse(text), text, System.nanoTime() - start, false);
        }
    }

    private static BuildResult missing(Path source) {
        String text = "error: script source " + source + " does not exist";
        return new BuildResult(source, null, "", DiagnosticParser.parse(text), text, 0, false);
    }

    private Path outputPath(String name, String hash) {
        return buildDir.resolve("libs").resolve("lib" + name + "-" + hash.substring(0, 16) + ".so");
    }

    private static List<Path> sdkFiles(Path sdk) {
        try (Stream<Path> files = Files.walk(sdk)) {
            return files.filter(f -> f.toString().endsWith(".zig")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the SDK at " + sdk, e);
        }
    }

    private String contentHash(Path source, List<Path> inputs, String kind) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((kind + "\0" + zig.version() + "\0" + mode + "\0").getBytes(StandardCharsets.UTF_8));
            sha.update(Files.readAllBytes(source));
            for (Path p : inputs) {
                sha.update(p.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                sha.update(Files.readAllBytes(p));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String zigEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
