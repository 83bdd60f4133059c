package dev.kiln.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * The builds that go through `zig cc`: C scripts against abi/kiln.h, and the engine's own native
 * libraries (the fault guard with the container memory, the native apply path, the isolated
 * mode's host program). Each is cached by content in the {@link BuildCache} and published
 * atomically. Any thread; a build blocks until its compiler ends or its timeout.
 */
final class ZigCcBuilds {
    private final ZigToolchain zig;
    private final Path kilnHome;
    private final Path buildDir;
    private final Duration timeout;
    private final BuildCache cache;

    ZigCcBuilds(ZigToolchain zig, Path kilnHome, Path buildDir, Duration timeout, BuildCache cache) {
        this.zig = zig;
        this.kilnHome = kilnHome;
        this.buildDir = buildDir;
        this.timeout = timeout;
        this.cache = cache;
    }

    /** A C script against abi/kiln.h, compiled from a snapshot copy of the file. */
    BuildResult buildC(Path source, BuildCancellation cancellation) {
        Path abs = source.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs)) return BuildResult.missing(abs);
        String name = ScriptCompiler.scriptName(abs);
        long start = System.nanoTime();
        Path header = KilnHome.abiDir(kilnHome).resolve("kiln.h");
        Path scriptHeader = KilnHome.abiDir(kilnHome).resolve("kiln_script.h"); // its helpers are compiled in too
        try (SourceSnapshot snap = SourceSnapshot.take(abs, List.of(), buildDir.resolve(ScriptCompiler.SNAPSHOTS))) {
            if (!snap.contains(abs)) return BuildResult.missing(abs);
            String hash = cache.hash("c", sha -> {
                snap.digest(sha, abs.getParent());
                sha.update(BuildCache.readAll(header));
                sha.update(BuildCache.readAll(scriptHeader));
            });
            Path output = cache.outputPath(name, hash);
            if (Files.isRegularFile(output)) {
                BuildCache.markUsed(output);
                return new BuildResult(abs, output, hash, List.of(), "", 0, true, List.of(abs), false);
            }
            Path temp = snap.root().resolve(ScriptCompiler.IO_DIR).resolve("lib" + name + ".so");
            List<String> cmd = List.of(zig.executable().toString(), "cc", "-shared", "-fPIC", "-O2", "-std=c11",
                    "-Wall", "-Wextra", "-Werror", "-I", KilnHome.abiDir(kilnHome).toString(),
                    "-DKILN_SOURCE_HASH=\"" + hash + "\"", "-o", temp.toString(), snap.mirror(abs).toString());
            BuildResult r = run(cmd, abs, temp, output, hash, cancellation, snap);
            if (r.ok()) BuildInputs.write(output, List.of(abs), abs.getParent());
            return r;
        } catch (IOException e) {
            return BuildResult.failed(abs, "", "error: cannot build " + abs + ": " + e, start, List.of(abs), false);
        }
    }

    /**
     * Builds the engine's native library: the fault guard (native/kiln_guard.c) and the
     * engine-owned container memory scripts keep in State (native/kiln_heap.c), plain C linked
     * with libc, loaded once per process and never unloaded.
     */
    BuildResult buildGuard() {
        Path source = kilnHome.resolve("native/kiln_guard.c");
        Path heap = kilnHome.resolve("native/kiln_heap.c");
        String hash = cache.contentHash(source, List.of(kilnHome.resolve("native/kiln_guard.h"), heap,
                kilnHome.resolve("native/kiln_heap.h"), KilnHome.abiDir(kilnHome).resolve("kiln.h")), "guard");
        Path output = cache.outputPath("kiln_guard", hash);
        if (Files.isRegularFile(output)) return new BuildResult(source, output, hash, List.of(), "", 0, true, List.of(source), false);
        Path temp = buildDir.resolve("gen").resolve("kiln_guard-" + hash.substring(0, 16)).resolve("libkiln_guard.so");
        List<String> cmd = List.of(zig.executable().toString(), "cc", "-shared", "-fPIC", "-O2", "-std=c11",
                "-Wall", "-Wextra", "-Werror", "-I", KilnHome.abiDir(kilnHome).toString(), "-o", temp.toString(),
                source.toString(), heap.toString());
        return run(cmd, source, temp, output, hash, BuildCancellation.none(), null);
    }

    /**
     * Builds the native apply path (native/kiln_apply.c): the engine's own library that applies
     * the hot request kinds at the barrier. Cached by content like the guard.
     */
    BuildResult buildApply() {
        Path source = kilnHome.resolve("native/kiln_apply.c");
        Path header = KilnHome.abiDir(kilnHome).resolve("kiln.h");
        Path signals = kilnHome.resolve("native/kiln_signals.c"); // routing, built into the same library
        Path churn = kilnHome.resolve("native/kiln_churn.c"); // spawns and despawns, the same library too
        String hash = cache.contentHash(source, List.of(kilnHome.resolve("native/kiln_apply.h"), header, signals,
                kilnHome.resolve("native/kiln_signals.h"), churn, kilnHome.resolve("native/kiln_churn.h"),
                kilnHome.resolve("native/kiln_bytes.h"), kilnHome.resolve("native/kiln_avx.h")), "apply");
        Path output = cache.outputPath("kiln_apply", hash);
        if (Files.isRegularFile(output)) return new BuildResult(source, output, hash, List.of(), "", 0, true, List.of(source), false);
        Path temp = buildDir.resolve("gen").resolve("kiln_apply-" + hash.substring(0, 16)).resolve("libkiln_apply.so");
        // No -ffast-math: the finite checks must see NaN and infinities as Java does; no FMA
        // contraction: p + v * dt must round twice, as in Java. Baseline CPU: scalar code that
        // gains nothing from AVX-512, and valgrind (instruction counts) can run it; its entry
        // points clear the JVM's dirty upper vector state first (native/kiln_avx.h). No errno from
        // sqrt (a spawn's rotation length): one instruction, no libm call.
        List<String> cmd = List.of(zig.executable().toString(), "cc", "-shared", "-fPIC", "-O2", "-std=c11",
                "-ffp-contract=off", "-fno-math-errno", "-mcpu=baseline", "-Wall", "-Wextra", "-Werror", "-I",
                KilnHome.abiDir(kilnHome).toString(), "-o", temp.toString(),
                source.toString(), signals.toString(), churn.toString());
        return run(cmd, source, temp, output, hash, BuildCancellation.none(), null);
    }

    /**
     * Builds the isolated mode's host program (native/kiln_host.c with the fault guard), which
     * runs one script library in a process of its own.
     */
    BuildResult buildHost() {
        Path native_ = kilnHome.resolve("native");
        Path source = native_.resolve("kiln_host.c");
        Path header = KilnHome.abiDir(kilnHome).resolve("kiln.h");
        String hash = cache.contentHash(source, List.of(native_.resolve("kiln_guard.c"), native_.resolve("kiln_guard.h"),
                native_.resolve("kiln_host.h"), header, native_.resolve("kiln_heap.c"), native_.resolve("kiln_heap.h")), "host");
        Path output = buildDir.resolve("libs").resolve("kiln_host-" + hash.substring(0, 16));
        if (Files.isRegularFile(output)) return new BuildResult(source, output, hash, List.of(), "", 0, true, List.of(source), false);
        Path temp = buildDir.resolve("gen").resolve("kiln_host-" + hash.substring(0, 16)).resolve("kiln_host");
        List<String> cmd = List.of(zig.executable().toString(), "cc", "-O2", "-std=c11", "-Wall", "-Wextra", "-Werror",
                "-I", KilnHome.abiDir(kilnHome).toString(), "-I", native_.toString(), "-o", temp.toString(),
                source.toString(), native_.resolve("kiln_guard.c").toString(), native_.resolve("kiln_heap.c").toString());
        return run(cmd, source, temp, output, hash, BuildCancellation.none(), null);
    }

    /** Runs a `zig cc` command that writes {@code temp}, under the timeout; publishes it as {@code output}. */
    private BuildResult run(List<String> cmd, Path source, Path temp, Path output, String hash,
                            BuildCancellation cancellation, SourceSnapshot snap) {
        long start = System.nanoTime();
        try {
            Files.createDirectories(temp.getParent());
            Files.createDirectories(output.getParent());
            Path workDir = snap != null ? snap.root() : buildDir;
            SupervisedProcess.Outcome o = SupervisedProcess.run(cmd, workDir, temp.resolveSibling(ScriptCompiler.IO_DIR),
                    new byte[0], cache.env(), timeout, cancellation);
            String text = o.stderr() + new String(o.stdout(), StandardCharsets.UTF_8);
            if (snap != null) text = snap.toRealPaths(text);
            if (!o.finished()) text += BuildResult.stopped(source, o, timeout);
            if (!o.finished() || o.exitCode() != 0 || !Files.isRegularFile(temp)) {
                return BuildResult.failed(source, hash, text, start, List.of(source), o.cancelled());
            }
            // Publish atomically: the loader never sees a half-written library at the final path.
            Files.move(temp, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new BuildResult(source, output, hash, DiagnosticParser.parse(text), text, System.nanoTime() - start,
                    false, List.of(source), false);
        } catch (IOException e) {
            return BuildResult.failed(source, hash, "error: could not run " + cmd.getFirst() + " for " + source + ": "
                    + e.getMessage(), start, List.of(source), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return BuildResult.failed(source, hash, "error: build of " + source + " interrupted", start, List.of(source), true);
        }
    }
}
