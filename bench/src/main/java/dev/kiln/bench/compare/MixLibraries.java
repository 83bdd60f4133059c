package dev.kiln.bench.compare;

import dev.kiln.build.BuildResult;
import dev.kiln.build.ScriptCompiler;
import dev.kiln.build.ZigToolchain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * W6's script libraries: {@code n / 5} distinct Zig sources generated from
 * bench/zig/compare/w6/library.zig.template (library number, phase and entity count filled
 * in) into the comparison build dir, then built as the engine builds scripts (ScriptCompiler,
 * ReleaseSafe, the same build dir, so Engine.loadScript finds them built). Distinct sources
 * make distinct shared objects: each library costs its own dlopen, downcall per phase, State
 * slab and instance table, as a game's scripts do. Builds run on {@link #BUILD_THREADS}
 * threads; an unchanged library is not rebuilt (content-named outputs).
 */
public final class MixLibraries {
    /** Concurrent Zig builds: the machine has 2 cores. */
    static final int BUILD_THREADS = 2;
    /** Most libraries a W6 run may ask for (three-digit names). */
    static final int LIBRARIES_MAX = 1000;
    private static final String[] PHASES = {"pre_update", "update", "post_update"};

    private MixLibraries() {}

    /** The script name of W6 library {@code library}. */
    public static String name(int library) {
        return String.format(Locale.ROOT, "cmp_w6_%03d", library);
    }

    /** Libraries of a W6 run over {@code entities} entities (5 instances each). */
    public static int libraries(int entities) {
        if (entities <= 0 || entities % Logic.MIX_INSTANCES_PER_LIBRARY != 0
                || entities / Logic.MIX_INSTANCES_PER_LIBRARY > LIBRARIES_MAX) {
            throw new IllegalArgumentException("W6 needs a positive multiple of " + Logic.MIX_INSTANCES_PER_LIBRARY
                    + " entities, at most " + LIBRARIES_MAX * Logic.MIX_INSTANCES_PER_LIBRARY + ": " + entities);
        }
        return entities / Logic.MIX_INSTANCES_PER_LIBRARY;
    }

    /**
     * Writes the sources of a W6 run over {@code entities} entities and returns them, library 0
     * first. They go to {@code <buildDir>/w6/<template hash>/n<entities>/}, beside a copy of
     * compare_logic.zig (a Zig module may not import a file outside its own folder).
     */
    public static List<Path> sources(int entities) {
        int count = libraries(entities);
        Path compare = CompareSupport.compareZig("");
        try {
            String template = Files.readString(compare.resolve("w6/library.zig.template"));
            String logic = Files.readString(compare.resolve("compare_logic.zig"));
            Path dir = CompareSupport.buildDir().resolve("w6").resolve(hash(template + logic)).resolve("n" + entities);
            Files.createDirectories(dir);
            writeIfChanged(dir.resolve("compare_logic.zig"), logic);
            List<Path> out = new ArrayList<>(count);
            for (int l = 0; l < count; l++) {
                String text = template.replace("@LIBRARY@", Integer.toString(l))
                        .replace("@LIBRARIES@", Integer.toString(count))
                        .replace("@PHASE@", PHASES[Logic.mixPhase(l)])
                        .replace("@ENTITIES@", Integer.toString(entities));
                Path file = dir.resolve(name(l) + ".zig");
                writeIfChanged(file, text);
                out.add(file);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Builds every source of {@link #sources} (in parallel) and returns the same list: the
     * engine's own build of each then finds its library built. A failed build throws with the
     * compiler's output.
     */
    public static List<Path> build(int entities) {
        List<Path> sources = sources(entities);
        ExecutorService pool = Executors.newFixedThreadPool(BUILD_THREADS);
        try {
            List<Future<BuildResult>> builds = new ArrayList<>();
            for (Path s : sources) {
                builds.add(pool.submit(() -> {
                    try (ScriptCompiler compiler = new ScriptCompiler(ZigToolchain.locate(CompareSupport.home()),
                            CompareSupport.home(), CompareSupport.buildDir(), ScriptCompiler.Mode.RELEASE_SAFE)) {
                        return compiler.build(s);
                    }
                }));
            }
            for (Future<BuildResult> f : builds) {
                BuildResult r = f.get();
                if (!r.ok()) throw new IllegalStateException("cannot build " + r.source() + ":\n" + r.compilerOutput());
            }
            return sources;
        } catch (ExecutionException e) {
            throw new IllegalStateException("W6 build failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Leaves an identical file alone, so its modification time (and the build cache) stays. */
    private static void writeIfChanged(Path file, String text) throws IOException {
        if (Files.isRegularFile(file) && Files.readString(file).equals(text)) return;
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
