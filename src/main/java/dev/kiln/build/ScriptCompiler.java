package dev.kiln.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds Zig (and C) scripts into shared libraries. Outputs are named by a hash of everything
 * that goes into them (script, SDK, compiler version, mode), so a path the loader has mapped
 * is never overwritten, and an unchanged script is not rebuilt. Zig's caches live in the build
 * dir, so a warm rebuild takes a fraction of a second.
 */
public final class ScriptCompiler implements AutoCloseable {
    /** How long one build may take before its compiler is killed: far above a real build (~5 s), so only a hang hits it. */
    public static final Duration BUILD_TIMEOUT = Duration.ofSeconds(300);
    /**
     * Compiler runs per build; each adds every file the previous one asked for that the
     * snapshot lacked (computed @embedFile names). A few cover chains of those; the bound keeps
     * a tree that keeps changing under the build from looping.
     */
    static final int DISCOVERY_ROUNDS_MAX = 4;
    /** Folder of the build dir that holds the snapshots of running builds. */
    static final String SNAPSHOTS = "snap";
    /** Where a build's compiler stdin/stdout/stderr files go, inside its snapshot folder. */
    static final String IO_DIR = ".kiln-io";
    /** Compiler server messages (lib/std/zig/Client.zig): `update` (tag 1), then `exit` (tag 0), no bodies. */
    private static final byte[] SERVER_UPDATE_THEN_EXIT = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    /** Where a warm compiler's build_info.zig goes, inside its kept folder (a path the command line names once). */
    private static final String WARM_GEN_DIR = ".kiln-gen";

    /** Zig optimize mode of script libraries. */
    public enum Mode {
        DEBUG("Debug", List.of(), false),
        RELEASE_SAFE("ReleaseSafe", List.of(), false),
        RELEASE_FAST("ReleaseFast", List.of(), false),
        /**
         * The development profile watched `kiln run`s build with: Debug (every safety check on,
         * so faults are still caught) with Zig's own x86_64 backend instead of LLVM, and one
         * compiler per script kept running with {@code -fincremental}: an edit re-analyses only
         * what it touched (figures in docs/performance.md). The SDK exports from top-level
         * functions, and the loader checks state_type_hash, because Zig 0.17.1 otherwise kept
         * the first build's metadata after a State edit (docs/reload.md, "Stale metadata").
         */
        DEVELOPMENT("Debug", List.of("-fno-llvm", "-fincremental"), true);

        final String zigName;
        final List<String> flags;
        /** Built by a long-lived compiler per script ({@link CompilerSession}). */
        final boolean warm;

        Mode(String zigName, List<String> flags, boolean warm) {
            this.zigName = zigName;
            this.flags = flags;
            this.warm = warm;
        }
    }

    private final ZigToolchain zig;
    private final Path kilnHome;
    private final Path buildDir;
    private final Mode mode;
    private final Duration timeout;
    /** What the compiler read last time, per script: seeds the next snapshot. */
    private final Map<Path, List<Path>> lastInputs;
    /** The warm compilers of {@link Mode#DEVELOPMENT}; null for the other modes. */
    private final WarmCompilers warm;
    /** Content-addressed outputs and Zig's caches in the build dir. */
    private final BuildCache cache;
    /** C scripts and the engine's native libraries (`zig cc`). */
    private final ZigCcBuilds cc;

    public ScriptCompiler(ZigToolchain zig, Path kilnHome, Path buildDir, Mode mode) {
        this(zig, kilnHome, buildDir, mode, BUILD_TIMEOUT);
    }

    public ScriptCompiler(ZigToolchain zig, Path kilnHome, Path buildDir, Mode mode, Duration timeout) {
        this(zig, kilnHome, buildDir.toAbsolutePath(), mode, timeout, new ConcurrentHashMap<>(),
                mode.warm ? new WarmCompilers(buildDir.toAbsolutePath()) : null);
    }

    private ScriptCompiler(ZigToolchain zig, Path kilnHome, Path buildDir, Mode mode, Duration timeout,
                           Map<Path, List<Path>> lastInputs, WarmCompilers warm) {
        this.zig = zig;
        this.kilnHome = kilnHome;
        this.buildDir = buildDir;
        this.mode = mode;
        this.timeout = timeout;
        this.lastInputs = lastInputs;
        this.warm = warm;
        this.cache = new BuildCache(zig, kilnHome, buildDir, mode);
        this.cc = new ZigCcBuilds(zig, kilnHome, buildDir, timeout, cache);
        // No build outlives its timeout: older snapshots were left by a killed process. (A short
        // test timeout must not reach the snapshots of builds running with the default one.)
        Duration longest = timeout.compareTo(BUILD_TIMEOUT) > 0 ? timeout : BUILD_TIMEOUT;
        SourceSnapshot.removeStale(this.buildDir.resolve(SNAPSHOTS), longest.multipliedBy(2));
    }

    /** The same compiler (and warm compilers) with another build timeout (tests of the supervision use seconds). */
    public ScriptCompiler withTimeout(Duration newTimeout) {
        return new ScriptCompiler(zig, kilnHome, buildDir, mode, newTimeout, lastInputs, warm);
    }

    public Mode mode() {
        return mode;
    }

    /**
     * The warm compiler of {@code script} ({@link Mode#DEVELOPMENT}), if one runs: its process
     * id and how many updates it has answered. A reload that reused it shows the same pid and
     * one more update.
     */
    public Optional<WarmCompiler> warmCompiler(Path script) {
        if (warm == null) return Optional.empty();
        return warm.describe(script.toAbsolutePath().normalize()).map(d -> new WarmCompiler(d[0], (int) d[1]));
    }

    /**
     * Forgets a library the loader refused as built from stale metadata
     * (LibraryLoadException.Reason.STALE_METADATA): deletes it and its input list, so the same
     * content is not served from the cache, and stops {@code script}'s warm compiler, whose
     * state produced it. The next {@link #build} starts a fresh compiler, which reads every
     * file. False (nothing done, or the library could not be deleted) for a compiler that keeps
     * no warm process, whose libraries come from a fresh compiler already. Build threads.
     */
    public boolean retireStale(Path script, Path library) {
        if (warm == null) return false;
        warm.discard(script.toAbsolutePath().normalize());
        try {
            BuildInputs.delete(library);
            Files.deleteIfExists(library);
            return true;
        } catch (IOException e) {
            return false; // a read-only build dir: the cache would serve it again
        }
    }

    /**
     * Stops warm compilers idle for longer than {@code idle}, and idle ones (least recently used
     * first) while all together hold more than {@code memoryBytes} resident; the defaults are
     * WarmCompilers.IDLE_STOP (5 min) and MEMORY_BOUND (1 GiB). Checked every second. A no-op
     * for modes without warm compilers. Any thread.
     */
    public void limitWarmCompilers(Duration idle, long memoryBytes) {
        if (warm != null) warm.limit(idle, memoryBytes);
    }

    /** A running warm compiler: its process id and the updates (builds) it has answered. */
    public record WarmCompiler(long pid, int updates) {}

    /** Stops the warm compilers (no compiler outlives the engine); other modes hold no process. */
    @Override
    public void close() {
        if (warm != null) warm.close();
    }

    public Duration timeout() {
        return timeout;
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
        return build(source, BuildCancellation.none());
    }

    /**
     * Builds a Zig script from a private snapshot of its files (see {@link SourceSnapshot}): the
     * library's name hashes exactly the bytes the compiler read. The compiler reports what it
     * read (--listen: file_system_inputs); a file it asked for that the snapshot lacks is copied
     * in and the build run again, at most {@link #DISCOVERY_ROUNDS_MAX} times.
     */
    public BuildResult build(Path source, BuildCancellation cancellation) {
        return withReplayWarnings(build(source, cancellation, false));
    }

    /**
     * {@code built} with {@link DeterminismLint}'s warnings about its source added to its
     * diagnostics (a clock, OS randomness, file-scope state: what breaks replay), when it built.
     */
    private static BuildResult withReplayWarnings(BuildResult built) {
        if (!built.ok() || built.source() == null) return built;
        List<Diagnostic> warnings = DeterminismLint.check(built.source());
        if (warnings.isEmpty()) return built;
        List<Diagnostic> all = new ArrayList<>(built.diagnostics());
        all.addAll(warnings);
        return new BuildResult(built.source(), built.library(), built.sourceHash(), List.copyOf(all), built.compilerOutput(),
                built.durationNanos(), built.cached(), built.inputs(), built.cancelled());
    }

    /**
     * Starts {@code source}'s warm compiler ({@link Mode#DEVELOPMENT}) if none runs, by one
     * build of its current content, so the user's first save is an incremental update rather
     * than a compiler's start (≈ 0.5–1 s): for a library that came from the cache, no compiler
     * ran at load. A library already built for that content is kept, not replaced. Then, if the
     * compiler has answered only that first build, one throw-away update primes it (see
     * {@link #PRIME_HASH}). A no-op for the other modes. Blocks for those builds: call it on a
     * build thread.
     */
    public void warmUp(Path source) {
        if (warm == null) return;
        if (warmCompiler(source).isEmpty()) build(source, BuildCancellation.none(), true);
        Path abs = source.toAbsolutePath().normalize();
        WarmCompilers.Slot slot = warm.slot(abs);
        if (slot == null) return;
        synchronized (slot) {
            if (slot.closed() || slot.updates() != 1) return; // none runs, or a save's build came first
            slot.begin();
            try {
                prime(abs, slot);
            } finally {
                slot.end();
            }
        }
    }

    /**
     * The source hash a priming update writes into build_info.zig (never a content's: those are
     * hex). The first incremental update of a fresh compiler is several times slower than the
     * later ones (it builds the analysis state an update needs), so it is spent on the same
     * sources with this build_info, before the user's first save; its library is not published.
     */
    static final String PRIME_HASH = "warm-up-update";

    private void prime(Path abs, WarmCompilers.Slot slot) {
        try (SourceSnapshot snap = slot.sync(abs, lastInputs.getOrDefault(abs, List.of()))) {
            try {
                compileWarm(scriptName(abs), abs, snap, PRIME_HASH, slot, BuildCancellation.none());
            } finally {
                slot.remember(snap);
            }
        } catch (IOException e) {
            // only a warm-up: the next build reports its own problems
        }
    }

    private BuildResult build(Path source, BuildCancellation cancellation, boolean warmUp) {
        Path abs = source.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs)) return BuildResult.missing(abs);
        long start = System.nanoTime();
        if (warm == null) return buildZig(abs, null, cancellation, start, false);
        WarmCompilers.Slot slot = warm.slot(abs);
        if (slot == null) return BuildResult.failed(abs, "", "error: build of " + abs + " stopped: the compiler was closed",
                start, List.of(), true);
        synchronized (slot) { // one build of a script at a time uses its compiler and folder
            if (slot.closed()) return BuildResult.failed(abs, "", "error: build of " + abs + " stopped: the compiler was closed",
                    start, List.of(), true);
            slot.begin();
            try {
                return buildZig(abs, slot, cancellation, start, warmUp);
            } finally {
                slot.end();
            }
        }
    }

    /** The build loop: from a fresh snapshot and a one-shot compiler, or from {@code slot}'s kept folder and warm compiler. */
    private BuildResult buildZig(Path abs, WarmCompilers.Slot slot, BuildCancellation cancellation, long start,
                                 boolean warmUp) {
        String name = scriptName(abs);
        List<Path> seeds = lastInputs.getOrDefault(abs, List.of());
        try (SourceSnapshot snap = slot == null ? SourceSnapshot.take(abs, seeds, buildDir.resolve(SNAPSHOTS))
                : slot.sync(abs, seeds)) {
            try {
                return buildRounds(abs, name, snap, slot, cancellation, start, warmUp);
            } finally {
                if (slot != null) slot.remember(snap);
            }
        } catch (IOException e) {
            return BuildResult.failed(abs, "", "error: cannot build " + abs + ": " + e, start, List.of(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return BuildResult.failed(abs, "", "error: build of " + abs + " interrupted", start, List.of(), true);
        }
    }

    /** {@code warmUp}: compile even when the library is cached (to start the warm compiler), and keep the cached one. */
    private BuildResult buildRounds(Path abs, String name, SourceSnapshot snap, WarmCompilers.Slot slot,
                                    BuildCancellation cancellation, long start, boolean warmUp)
            throws IOException, InterruptedException {
        for (int round = 1; ; round++) {
            String hash = cache.zigHash(abs, snap);
            Path output = cache.outputPath(name, hash);
            Optional<List<Path>> recorded = BuildInputs.of(output, abs.getParent());
            boolean cached = Files.isRegularFile(output) && recorded.isPresent();
            if (cached && (!warmUp || round > 1)) {
                BuildCache.markUsed(output);
                lastInputs.put(abs, recorded.get());
                return new BuildResult(abs, output, hash, List.of(), "", System.nanoTime() - start, true,
                        recorded.get(), false);
            }
            ZigAttempt a = slot == null ? compileZig(name, abs, snap, hash, cancellation)
                    : compileWarm(name, abs, snap, hash, slot, cancellation);
            if (!a.inputs.isEmpty()) lastInputs.put(abs, a.inputs);
            if (a.outcome.finished() && a.library == null && round < DISCOVERY_ROUNDS_MAX
                    && copyMissing(snap, a.inputs)) {
                continue; // the compiler wanted a file the references did not name: now copied
            }
            if (a.library == null) {
                return BuildResult.failed(abs, hash, whyNotCopied(name, snap) + a.text, start, a.inputs, a.outcome.cancelled());
            }
            if (cached) { // a warm-up: the loaded library may be this very file, never replaced
                BuildCache.markUsed(output);
                return new BuildResult(abs, output, hash, List.of(), "", System.nanoTime() - start, true,
                        recorded.get(), false);
            }
            publish(a.library, output, a.inputs, abs.getParent());
            return new BuildResult(abs, output, hash, DiagnosticParser.parse(a.text), a.text,
                    System.nanoTime() - start, false, a.inputs, false);
        }
    }

    /**
     * Copies a library out of Zig's cache to its content-named path, its input list first: a
     * reader that sees the library always finds both. The move is atomic, so the loader never
     * sees a half-written library at the final path.
     */
    private static void publish(Path built, Path output, List<Path> inputs, Path scriptFolder) throws IOException {
        Files.createDirectories(output.getParent());
        BuildInputs.write(output, inputs, scriptFolder);
        Path temp = output.resolveSibling(output.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Files.copy(built, temp, StandardCopyOption.REPLACE_EXISTING);
        OrphanVersymFix.apply(temp); // Zig's incremental linker: see there (a no-op for other libraries)
        Files.move(temp, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** What the snapshot left out, for a failed build: the likely cause of a "file not found". */
    private static String whyNotCopied(String name, SourceSnapshot snap) {
        StringBuilder out = new StringBuilder();
        if (snap.truncated()) {
            out.append("error: ").append(name).append(" reaches more than ").append(SourceSnapshot.FILES_MAX)
                    .append(" files; the rest were not copied for the build\n");
        }
        for (Path odd : snap.notRegular()) {
            out.append("error: ").append(odd).append(" (named by ").append(name)
                    .append(") is not a regular file; scripts are built only from regular files\n");
        }
        return out.toString();
    }

    /** Copies into {@code snap} the inputs it lacks that exist in the real tree; true when any was copied. */
    private static boolean copyMissing(SourceSnapshot snap, List<Path> inputs) {
        boolean copied = false;
        for (Path p : inputs) {
            if (!snap.contains(p)) copied |= snap.addFromRealTree(p);
        }
        return copied;
    }

    /** One run of the compiler on a snapshot: its library in Zig's cache (null on failure), what it read, its text. */
    private record ZigAttempt(SupervisedProcess.Outcome outcome, Path library, List<Path> inputs, String text) {}

    private ZigAttempt compileZig(String name, Path script, SourceSnapshot snap, String hash,
                                  BuildCancellation cancellation) throws IOException, InterruptedException {
        Path buildInfo = buildDir.resolve("gen").resolve(name + "-" + hash.substring(0, 16)).resolve("build_info.zig");
        write(buildInfo, buildInfo(name, script, hash));
        List<String> cmd = zigCommand(name, script, snap, buildInfo);
        SupervisedProcess.Outcome o = SupervisedProcess.run(cmd, snap.root(), snap.root().resolve(IO_DIR),
                SERVER_UPDATE_THEN_EXIT, cache.env(), timeout, cancellation);
        return attempt(name, script, snap, o);
    }

    /**
     * One update of the script's warm compiler. Its command line names the kept folder's paths,
     * the same every build, and build_info.zig is replaced by a rename (a new inode the compiler
     * notices). A stopped update (newer save, timeout) ends that compiler; the next build starts one.
     */
    private ZigAttempt compileWarm(String name, Path script, SourceSnapshot snap, String hash, WarmCompilers.Slot slot,
                                   BuildCancellation cancellation) throws IOException {
        Path buildInfo = slot.root().resolve(WARM_GEN_DIR).resolve("build_info.zig");
        Files.createDirectories(buildInfo.getParent());
        Path temp = buildInfo.resolveSibling(".build_info.zig.tmp");
        // A new source hash every build; only the SDK's kiln_script_metadata reads it (entry.zig),
        // so an edit of a function body re-analyses that function and the metadata.
        Files.writeString(temp, buildInfo(name, script, hash), StandardCharsets.UTF_8);
        Files.move(temp, buildInfo, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        List<String> cmd = zigCommand(name, script, snap, buildInfo);
        CompilerSession session = slot.session(cmd, slot.root().resolve(IO_DIR), cache.env());
        SupervisedProcess.Outcome o = session.update(timeout, cancellation);
        if (!o.finished() || o.exitCode() != 0) slot.discard();
        return attempt(name, script, snap, o);
    }

    private String buildInfo(String name, Path script, String hash) {
        return "pub const name: [:0]const u8 = \"" + zigEscape(name) + "\";\n"
                + "pub const source_hash: [:0]const u8 = \"" + hash + "\";\n"
                + "pub const build_time_unix: i64 = " + (System.currentTimeMillis() / 1000) + ";\n"
                + commitLine(script);
    }

    private static String commitLine(Path script) {
        return SourceCommit.of(script).map(c -> "pub const source_commit: ?[:0]const u8 = \"" + c + "\";\n").orElse("");
    }

    private List<String> zigCommand(String name, Path script, SourceSnapshot snap, Path buildInfo) {
        Path sdk = KilnHome.sdkDir(kilnHome);
        List<String> cmd = new ArrayList<>(List.of(zig.executable().toString(), "build-lib", "-dynamic",
                "-O", mode.zigName, "--cache-dir", buildDir.resolve("zig-cache").toString(),
                "--global-cache-dir", buildDir.resolve("zig-global-cache").toString(),
                "--name", name, "--listen=-"));
        cmd.addAll(mode.flags);
        cmd.addAll(List.of("--dep", "kiln", "--dep", "script", "--dep", "build_info",
                "-Mroot=" + sdk.resolve("entry/entry.zig"),
                "-Mkiln=" + sdk.resolve("kiln.zig"),
                "--dep", "kiln", "-Mscript=" + snap.mirror(script),
                "-Mbuild_info=" + buildInfo));
        return List.copyOf(cmd);
    }

    /** Reads what one compiler run said: its library in Zig's cache (null on failure), what it read, its text. */
    private ZigAttempt attempt(String name, Path script, SourceSnapshot snap, SupervisedProcess.Outcome o) {
        Path zigCache = buildDir.resolve("zig-cache");
        CompilerMessages m = CompilerMessages.parse(o.stdout(), snap.root(), p -> {
            Path real = snap.real(snap.root().resolve(p));
            return real == null ? p : real.toString();
        });
        List<Path> inputs = m.inputs().stream().map(snap::real).filter(Objects::nonNull)
                .distinct().toList();
        String text = snap.toRealPaths(m.errors() + o.stderr());
        if (!o.finished()) return new ZigAttempt(o, null, inputs, text + BuildResult.stopped(script, o, timeout));
        Path library = m.digest() == null ? null : zigCache.resolve("o").resolve(m.digest()).resolve("lib" + name + ".so");
        boolean ok = o.exitCode() == 0 && m.errors().isEmpty() && library != null && Files.isRegularFile(library);
        if (!ok && text.isBlank()) text = "error: the compiler ended with exit code " + o.exitCode() + " and no message";
        return new ZigAttempt(o, ok ? library : null, inputs, text);
    }

    /** Builds a C script against abi/kiln.h with `zig cc`, proving the ABI is plain C. */
    public BuildResult buildC(Path source) {
        return cc.buildC(source, BuildCancellation.none());
    }

    /** Like {@link #build(Path, BuildCancellation)}: compiled from a snapshot copy of the file. */
    public BuildResult buildC(Path source, BuildCancellation cancellation) {
        return cc.buildC(source, cancellation);
    }

    /**
     * Builds the engine's native library: the fault guard (native/kiln_guard.c) and the
     * engine-owned container memory scripts keep in State (native/kiln_heap.c), plain C linked
     * with libc, loaded once per process and never unloaded.
     */
    public BuildResult buildGuard() {
        return cc.buildGuard();
    }

    /**
     * Builds the native apply path (native/kiln_apply.c): the engine's own library that applies
     * the hot request kinds at the barrier. Cached by content like the guard.
     */
    public BuildResult buildApply() {
        return cc.buildApply();
    }

    /**
     * Builds the isolated mode's host program (native/kiln_host.c with the fault guard), which
     * runs one script library in a process of its own.
     */
    public BuildResult buildHost() {
        return cc.buildHost();
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
