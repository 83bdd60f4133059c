package dev.kiln.inspector;

import dev.kiln.abi.ScriptInfo;
import dev.kiln.ecs.Entities;
import dev.kiln.ecs.World;
import dev.kiln.engine.Engine;
import dev.kiln.reload.HotReloadManager;
import dev.kiln.script.ScriptInstance;
import dev.kiln.script.ScriptLibrary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Copies the engine's state into a {@link Snapshot}. Frame thread only (reads live engine state). */
final class SnapshotBuilder {
    private final Engine engine;
    private final HotReloadManager reloads;
    /** Per library: call nanos and frame index at the previous snapshot, for time per frame. */
    private final Map<String, long[]> lastCallNanos = new HashMap<>();
    private long seq;

    SnapshotBuilder(Engine engine, HotReloadManager reloads) {
        this.engine = engine;
        this.reloads = reloads;
    }

    Snapshot build(Set<Long> watched, List<Snapshot.FrameSample> frames) {
        World world = engine.world();
        List<Snapshot.EntityRow> rows = new ArrayList<>(world.aliveCount());
        world.forEachAlive(h -> rows.add(row(world, h)));
        Map<Long, Snapshot.EntityDetail> details = new LinkedHashMap<>();
        for (long id : watched) if (world.isAlive(id)) details.put(id, EntityDetails.of(engine, id));
        Snapshot.Control control = new Snapshot.Control(engine.paused(), engine.safeMode(),
                reloads != null && reloads.autoReload(), reloads != null);
        return new Snapshot(++seq, engine.frameIndex(), engine.time(), control, rows, details, libraries(),
                ErrorViews.collect(engine, reloads), frames);
    }

    private static Snapshot.EntityRow row(World world, long h) {
        var p = world.position(h);
        return new Snapshot.EntityRow(h, Entities.format(h), world.name(h), List.copyOf(world.tagsOf(h)),
                p.x(), p.y(), p.z());
    }

    private List<Snapshot.LibraryView> libraries() {
        Map<ScriptLibrary, Integer> counts = new HashMap<>();
        for (ScriptInstance i : engine.scripts().instances()) counts.merge(i.library(), 1, Integer::sum);
        List<Snapshot.LibraryView> out = new ArrayList<>();
        for (ScriptLibrary lib : engine.scripts().libraries()) out.add(library(lib, counts.getOrDefault(lib, 0)));
        return out;
    }

    private Snapshot.LibraryView library(ScriptLibrary lib, int instances) {
        ScriptInfo info = lib.info();
        List<Path> good = reloads != null && reloads.trackedScripts().contains(lib.name())
                ? reloads.goodVersions(lib.name()) : List.of(lib.libraryPath());
        String lastGood = good.size() >= 2 ? fileName(good.get(good.size() - 2)) : null;
        List<Snapshot.StateFieldView> fields = info.stateFields().stream()
                .map(f -> new Snapshot.StateFieldView(f.name(), f.typeName(), f.offset(), f.size())).toList();
        return new Snapshot.LibraryView(lib.name(), lib.source() == null ? null : lib.source().toString(),
                lib.libraryPath().toString(), info.buildTimeUnix(), info.sourceHash(), info.sourceCommit(), info.abiVersion(),
                info.exports(), fileName(lib.libraryPath()), lastGood, good.size(), instances, updateMs(lib),
                lib.poisonedBy(), lib.isolated(), fields, info.buildModeName());
    }

    /** Average ms per frame in this library's calls since the previous snapshot. */
    private double updateMs(ScriptLibrary lib) {
        long nanos = lib.callNanos();
        long frame = engine.frameIndex();
        long[] prev = lastCallNanos.put(lib.name(), new long[] {nanos, frame});
        if (prev == null || frame <= prev[1] || nanos < prev[0]) return 0; // first look, paused, or reloaded
        return (nanos - prev[0]) / 1e6 / (frame - prev[1]);
    }

    private static String fileName(Path p) {
        return p == null ? null : p.getFileName().toString();
    }
}
