package dev.kiln.bench.compare;

import dev.kiln.build.KilnHome;
import dev.kiln.build.ZigToolchain;
import dev.kiln.ecs.Quat;
import dev.kiln.ecs.SpatialGrid;
import dev.kiln.ecs.Vec3;
import dev.kiln.ecs.World;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Shared setup of the comparison implementations: paths, Zig builds, the entity grid, reads. */
public final class CompareSupport {
    /** Fixed frame step: 60 Hz. */
    public static final double DT = 1.0 / 60.0;
    public static final float DT_F = (float) DT;
    /** Distance between neighbouring spawned entities (the engine's cell size is 4). */
    public static final float SPACING = 2f;
    /** Cell size of the engine's spatial grid (EngineOptions default), used for the Java-side grid too. */
    public static final float CELL_SIZE = 4f;

    private CompareSupport() {}

    public static Path home() {
        return KilnHome.locate();
    }

    /**
     * Scripts, the floor library and the wasm module are built here: under
     * {@code -Dkiln.compare.buildRoot} (default target/kiln-compare-build; the equivalence test
     * uses its own, so a test run never races a benchmark run for Zig's cache), in a directory
     * named by the content hash of bench/zig/compare. The engine's ScriptCompiler keys a
     * script by its own file and the SDK only, not by compare_logic.zig, which the scripts
     * import; the hash in the path makes an edit of that file rebuild them.
     */
    public static Path buildDir() {
        String root = System.getProperty("kiln.compare.buildRoot", "target/kiln-compare-build");
        return home().resolve(root).resolve(hashDir(home().resolve("bench/zig/compare"), "").substring(0, 12));
    }

    public static Path compareZig(String file) {
        return home().resolve("bench/zig/compare").resolve(file);
    }

    public static Path benchZig(String script) {
        return home().resolve("bench/zig/bench").resolve(script + ".zig");
    }

    public static Path lua(String file) {
        return home().resolve("bench/lua/compare").resolve(file);
    }

    /** The floor library (floor_w1.zig, ReleaseFast, shared). */
    public static Path floorLibrary() {
        return buildZig("floor_w1.zig", "libfloor_w1.so", List.of("build-lib", "-dynamic", "-O", "ReleaseFast"));
    }

    /** The wasm module (wasm_compare.zig, wasm32-freestanding, ReleaseFast). */
    public static Path wasmModule() {
        return buildZig("wasm_compare.zig", "compare.wasm", List.of("build-exe", "-target", "wasm32-freestanding",
                "-fno-entry", "-rdynamic", "-O", "ReleaseFast"));
    }

    /** The callgrind start/stop library (callgrind_control.zig, -fvalgrind). */
    public static Path callgrindControl() {
        return buildZig("callgrind_control.zig", "libcallgrind_control.so",
                List.of("build-lib", "-dynamic", "-O", "ReleaseFast", "-fvalgrind"));
    }

    /**
     * {@code -Dkiln.compare.mcpu=x86_64_v3}: every Zig build of the comparison targets that CPU
     * instead of the native one. For callgrind runs only: valgrind 3.19 cannot decode AVX-512,
     * which Zig emits for this machine's native CPU. Empty: native, as the engine builds.
     */
    public static String mcpu() {
        return System.getProperty("kiln.compare.mcpu", "");
    }

    /**
     * A Kiln script built as ScriptCompiler builds it (same modules and entry, ReleaseSafe) but
     * for {@link #mcpu()}; loaded with Engine.loadLibrary. Only for callgrind runs.
     */
    public static synchronized Path buildScriptForCpu(Path source) {
        String name = source.getFileName().toString().replace(".zig", "");
        Path sdk = KilnHome.sdkDir(home());
        Path dir = buildDir().resolve("cpu-" + mcpu()).resolve(name);
        Path out = dir.resolve("lib" + name + ".so");
        try {
            Files.createDirectories(dir);
            Path info = dir.resolve("build_info.zig");
            Files.writeString(info, "pub const name: [:0]const u8 = \"" + name + "\";\n"
                    + "pub const source_hash: [:0]const u8 = \"" + hashDir(source.getParent(), mcpu()) + "\";\n"
                    + "pub const build_time_unix: i64 = 0;\n");
            run(List.of(ZigToolchain.locate(home()).executable().toString(), "build-lib", "-dynamic", "-O", "ReleaseSafe",
                    "-mcpu=" + mcpu(), "--cache-dir", buildDir().resolve("zig-cache").toString(),
                    "--global-cache-dir", buildDir().resolve("zig-global-cache").toString(), "-femit-bin=" + out,
                    "--dep", "kiln", "--dep", "script", "--dep", "build_info",
                    "-Mroot=" + sdk.resolve("entry/entry.zig"), "-Mkiln=" + sdk.resolve("kiln.zig"),
                    "--dep", "kiln", "-Mscript=" + source, "-Mbuild_info=" + info), name);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(List<String> cmd, String what) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("zig failed to build " + what + ":\n" + text);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Builds {@code root} from bench/zig/compare once per content hash of that directory. */
    private static synchronized Path buildZig(String root, String output, List<String> baseArgs) {
        List<String> args = new ArrayList<>(baseArgs);
        if (!mcpu().isEmpty() && !args.contains("wasm32-freestanding")) args.add("-mcpu=" + mcpu());
        Path dir = home().resolve("bench/zig/compare");
        String hash = hashDir(dir, String.join(" ", args));
        Path out = buildDir().resolve("out").resolve(hash.substring(0, 16)).resolve(output);
        if (Files.isRegularFile(out)) return out;
        try {
            Files.createDirectories(out.getParent());
            List<String> cmd = new ArrayList<>();
            cmd.add(ZigToolchain.locate(home()).executable().toString());
            cmd.addAll(args);
            cmd.addAll(List.of("--cache-dir", buildDir().resolve("zig-cache").toString(), "--global-cache-dir",
                    buildDir().resolve("zig-global-cache").toString(), "-femit-bin=" + out, dir.resolve(root).toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("zig failed to build " + root + ":\n" + text);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String hashDir(Path dir, String salt) {
        try (Stream<Path> files = Files.list(dir)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(salt.getBytes(StandardCharsets.UTF_8));
            for (Path f : files.filter(f -> f.toString().endsWith(".zig")).sorted().toList()) {
                md.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                md.update(Files.readAllBytes(f));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** x, z of entity {@code i} of a square grid in the XZ plane, as BenchScripts.spawnGrid lays it out. */
    public static float gridX(int i, int n) {
        return (i % side(n)) * SPACING;
    }

    public static float gridZ(int i, int n) {
        return (i / side(n)) * SPACING;
    }

    private static int side(int n) {
        return (int) Math.ceil(Math.sqrt(n));
    }

    /** Spawns {@code n} entities on the grid; entity i gets index i in a fresh world. */
    public static long[] spawnGrid(World world, int n) {
        long[] handles = new long[n];
        for (int i = 0; i < n; i++) {
            handles[i] = world.spawn(new Vec3(gridX(i, n), 0, gridZ(i, n)), Quat.IDENTITY, Vec3.ONE);
        }
        return handles;
    }

    /**
     * What {@link Impl#positions} returns for an implementation over the engine's World: xyz of
     * the live entities in index order, sorted for W3 (see {@link #sortedTriples}).
     */
    public static float[] positions(World world, Workload workload) {
        float[] p = positions(world);
        return workload == Workload.W3 ? sortedTriples(p) : p;
    }

    /** xyz of the live entities of {@code world} in index order. */
    public static float[] positions(World world) {
        float[] raw = world.rawPositions();
        float[] out = new float[world.aliveCount() * 3];
        int k = 0;
        for (int i = 0; i < world.highWater(); i++) {
            if (!world.aliveAt(i)) continue;
            System.arraycopy(raw, i * 3, out, k, 3);
            k += 3;
        }
        return out;
    }

    /** xyz triples sorted (x, then y, then z): for W3, where entity indices differ by implementation. */
    public static float[] sortedTriples(float[] xyz) {
        int n = xyz.length / 3;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> {
            for (int c = 0; c < 3; c++) {
                int r = Float.compare(xyz[a * 3 + c], xyz[b * 3 + c]);
                if (r != 0) return r;
            }
            return 0;
        });
        float[] out = new float[xyz.length];
        for (int i = 0; i < n; i++) System.arraycopy(xyz, order[i] * 3, out, i * 3, 3);
        return out;
    }

    /**
     * Neighbour queries over the engine's {@link SpatialGrid} (the grid the snapshot publishes),
     * visiting cells as the SDK's forEachNearby does. Used by every non-Kiln W2 implementation.
     */
    public static final class Neighbours {
        private final SpatialGrid grid = new SpatialGrid(CELL_SIZE);
        private World world;

        /** Rebuilds the grid from the world's current positions (once per frame). */
        public void rebuild(World w) {
            world = w;
            grid.rebuild(w);
        }

        /** Indices of the live entities within {@code radius} of entity {@code self} (itself excluded). */
        public int query(int self, float radius, int[] out) {
            float[] p = world.rawPositions();
            float cx = p[self * 3], cy = p[self * 3 + 1], cz = p[self * 3 + 2];
            float inv = 1f / CELL_SIZE;
            float r2 = radius * radius;
            int loX = SpatialGrid.cellCoord(cx - radius, inv), hiX = SpatialGrid.cellCoord(cx + radius, inv);
            int loY = SpatialGrid.cellCoord(cy - radius, inv), hiY = SpatialGrid.cellCoord(cy + radius, inv);
            int loZ = SpatialGrid.cellCoord(cz - radius, inv), hiZ = SpatialGrid.cellCoord(cz + radius, inv);
            int mask = grid.bucketCount() - 1;
            int[] start = grid.bucketStart();
            int[] entities = grid.bucketEntities();
            int n = 0;
            for (int x = loX; x <= hiX; x++) {
                for (int y = loY; y <= hiY; y++) {
                    for (int z = loZ; z <= hiZ; z++) {
                        int b = SpatialGrid.cellHash(x, y, z) & mask;
                        for (int k = start[b]; k < start[b + 1]; k++) {
                            int i = entities[k];
                            float px = p[i * 3], py = p[i * 3 + 1], pz = p[i * 3 + 2];
                            if (SpatialGrid.cellCoord(px, inv) != x || SpatialGrid.cellCoord(py, inv) != y
                                    || SpatialGrid.cellCoord(pz, inv) != z) continue;
                            if (i == self) continue;
                            float dx = px - cx, dy = py - cy, dz = pz - cz;
                            if (dx * dx + dy * dy + dz * dz <= r2 && n < out.length) out[n++] = i;
                        }
                    }
                }
            }
            return n;
        }
    }
}
