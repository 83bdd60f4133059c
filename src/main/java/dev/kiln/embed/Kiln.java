package dev.kiln.embed;

import dev.kiln.abi.LibraryLoadException;
import dev.kiln.build.ScriptBuildException;
import dev.kiln.ecs.ComponentPolicy;
import dev.kiln.ecs.ComponentSchema;
import dev.kiln.ecs.ComponentStore;
import dev.kiln.ecs.Entities;
import dev.kiln.ecs.FieldType;
import dev.kiln.ecs.Status;
import dev.kiln.ecs.World;
import dev.kiln.engine.Engine;
import dev.kiln.engine.EngineOptions;
import dev.kiln.engine.FrameStats;
import dev.kiln.inspector.LogRing;
import dev.kiln.reload.HotReloadManager;
import dev.kiln.reload.ReloadReport;
import dev.kiln.rewind.HostEdit;
import dev.kiln.rewind.Recorder;
import dev.kiln.scene.LoadedScene;
import dev.kiln.scene.SceneException;
import dev.kiln.scene.SceneLoader;
import dev.kiln.script.PhysicsHandler;
import dev.kiln.script.ScriptInstance;
import dev.kiln.script.ScriptLibrary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Kiln embedded in a Java game: the game owns the window, the loop and the rendering; Kiln
 * runs the gameplay scripts (Zig) against its ECS when the game calls {@link #step}. A complete
 * program is in docs/embedding.md.
 *
 * <pre>{@code
 * try (Kiln kiln = Kiln.create(KilnConfig.defaults())) {
 *     kiln.loadScene(Path.of("scene.json"));
 *     kiln.onSignal("score", s -> score = s.payloadBuffer().getInt(0));
 *     while (running) {
 *         kiln.input().set("left", leftKeyDown);
 *         kiln.step(1 / 60.0);
 *         int n = kiln.transforms().copyPositions("enemy", xyz, null);
 *         draw(xyz, n);
 *     }
 * }
 * }</pre>
 *
 * <p><b>Threads:</b> one thread steps the engine and makes every call on it (the game's render
 * thread); nothing here is thread-safe. Hot reload builds on threads of its own and swaps at the
 * start of a step; the inspector's edits are applied there too.
 *
 * <p><b>A frame</b> ({@link #step}): frame-boundary work (a reload's swap, inspector edits),
 * then the game's {@link #input()} is written for scripts, then pre_update, update (velocities
 * integrated after it) and post_update, each followed by a barrier that applies the scripts'
 * requests and dispatches signals; signals sent from Java since the last step are delivered in
 * the first barrier; Java subscribers get the step's signals when it is over.
 *
 * <p><b>Errors:</b> setup calls (create, loading scenes and scripts) throw {@link KilnException}
 * saying what failed, where and what to do; per-entity and per-frame calls return a
 * {@link Status} ({@code STALE_ENTITY}, {@code NOT_FOUND}, ...) and change nothing when it is not
 * {@code OK}. Script faults never throw: they are logged (with script, entity and reason) and the
 * faulting script is disabled while everything else keeps running.
 *
 * <p><b>Recording:</b> in a development run that records (docs/rewind.md), the input written
 * and every {@link #spawn}, {@link #despawn}, {@link #attach}, {@link #detach},
 * {@link #sendSignal}, {@link #registerComponent} and {@link #setPhysicsDriven} that succeeded
 * between two steps, and every write made through {@link #world()} between them, are recorded
 * as the next frame's input, in the order made, so a replay makes them again; so is what a
 * {@link #setPhysicsHandler physics handler} writes inside a step.
 *
 * <p><b>Units:</b> positions and distances in world units (whatever the game's camera makes
 * them), time in seconds ({@code step(dt)}), angles in radians, rotations as unit quaternions
 * (x, y, z, w).
 *
 * <p><b>Handles</b> are 64-bit entity handles (index and generation, see
 * {@link dev.kiln.ecs.Entities}); {@link Entities#NULL} (0) is "no entity".
 */
public final class Kiln implements AutoCloseable {
    private final Engine engine;
    private final KilnConfig config;
    private final Input input = new Input();
    private final Transforms transforms;
    private final HostSignals signals = new HostSignals();
    private final HotReloadManager reloads;
    private final AutoCloseable inspector;
    private final String inspectorUrl;
    /** The engine-owned entity whose {@code kiln.input} component scripts read. */
    private final long inputEntity;
    private boolean closed;

    private Kiln(KilnConfig config, Engine engine, HotReloadManager reloads, AutoCloseable inspector, String url) {
        this.config = config;
        this.engine = engine;
        this.reloads = reloads;
        this.inspector = inspector;
        this.inspectorUrl = url;
        this.transforms = new Transforms(engine.world());
        try (Recorder.EngineWrites own = ownWrites()) {
            engine.world().registerComponent(InputLayout.SCHEMA);
            this.inputEntity = engine.world().spawn();
            engine.world().setName(inputEntity, InputLayout.NAME);
            engine.world().addTag(inputEntity, InputLayout.NAME);
        }
        // Before any scene: the recording's prelude, which a replay makes before loading the scene.
        record(new HostEdit.Register(InputLayout.SCHEMA));
        record(new HostEdit.Spawn(inputEntity, InputLayout.NAME));
        record(new HostEdit.Tag(inputEntity, InputLayout.NAME));
        writeInput();
        engine.scripts().setHostSignalTap(signals);
    }

    /** Hands a change made from here to the run's recorder (when it records), so a replay makes it again. */
    private void record(HostEdit edit) {
        if (engine.recorder() != null) engine.recorder().noteEdit(edit);
    }

    /**
     * The world writes of a call that records itself as one edit ({@link #record}): not recorded
     * again as the writes it is made of (what the game writes through {@link #world()} is).
     */
    private Recorder.EngineWrites ownWrites() {
        return Recorder.engineWrites(engine.recorder());
    }

    /** Writes the input into its component when it changed, and records the write. */
    private void writeInput() {
        byte[] written;
        try (Recorder.EngineWrites own = ownWrites()) {
            written = input.applyTo(engine.world(), inputEntity, InputLayout.SCHEMA.typeHash());
        }
        if (written != null) record(new HostEdit.Component(inputEntity, InputLayout.SCHEMA.typeHash(), written));
    }

    /**
     * Creates an engine: builds (once, cached) and installs the fault guard, and starts hot reload
     * and the inspector when the config asks. Finds the Kiln home (zig/sdk, abi/) and the pinned
     * Zig as the CLI does: {@code -Dkiln.home} / {@code KILN_HOME} / a parent folder of the working
     * directory; {@code -Dkiln.zig} / {@code KILN_ZIG} / {@code <home>/.tools} / {@code PATH}.
     */
    public static Kiln create(KilnConfig config) throws KilnException {
        LogRing logs = config.inspector() ? new LogRing(config.engine().log()) : null;
        EngineOptions options = logs == null ? config.engine() : config.engine().withLog(logs);
        Engine engine;
        try {
            engine = new Engine(options);
            engine.compiler(); // finds the home and Zig now, so a missing toolchain fails here
        } catch (IllegalStateException e) {
            throw new KilnException("cannot set up Kiln: " + e.getMessage(), e);
        }
        HotReloadManager reloads = null;
        AutoCloseable inspector = null;
        String[] url = new String[1];
        try {
            if (config.hotReload() && options.development()) {
                reloads = new HotReloadManager(engine, HotReloadManager.DEFAULT_DEBOUNCE,
                        event -> System.out.println(ReloadReport.describe(event)));
                reloads.watchSources();
            }
            if (config.inspector()) inspector = InspectorHook.start(engine, reloads, logs, config.inspectorPort(), url);
        } catch (KilnException | IOException | RuntimeException e) {
            closeQuietly(reloads);
            engine.close();
            if (e instanceof KilnException k) throw k;
            throw new KilnException("cannot start hot reload: " + e.getMessage(), e);
        }
        return new Kiln(config, engine, reloads, inspector, url[0]);
    }

    // ---- content -------------------------------------------------------------------------------

    /**
     * Loads a scene file (docs/scenes.md): builds and loads its scripts, registers its
     * components and prefabs, spawns its entities and runs their scripts' init. All or nothing:
     * on failure nothing of the scene stays in the engine.
     */
    public LoadedScene loadScene(Path file) throws KilnException {
        try {
            LoadedScene loaded = SceneLoader.load(engine, file);
            for (ScriptLibrary library : loaded.libraries()) follow(library);
            return loaded;
        } catch (SceneException e) {
            throw new KilnException(e.getMessage(), e);
        }
    }

    /** Builds a script ({@code .zig} with the SDK, or {@code .c}) and loads it, for {@link #attach}. */
    public ScriptLibrary loadScript(Path source) throws KilnException {
        try {
            ScriptLibrary library = engine.loadScript(source);
            follow(library);
            return library;
        } catch (ScriptBuildException e) {
            throw new KilnException(source + " does not build: " + e.getMessage(), e);
        } catch (LibraryLoadException e) {
            throw new KilnException(source + " built but cannot be loaded: " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new KilnException("cannot load " + source + ": " + e.getMessage(), e);
        }
    }

    /** Hot reload follows a newly loaded script's sources. */
    private void follow(ScriptLibrary library) throws KilnException {
        if (reloads == null) return;
        reloads.track(library);
        try {
            reloads.watchSources();
        } catch (IOException e) {
            throw new KilnException("cannot watch " + library.source() + " for hot reload: " + e.getMessage(), e);
        }
    }

    /**
     * Registers a component type scripts can read and write as an {@code extern struct} with the
     * same fields in the same order ({@code pub const component_name = name}). Registering the
     * same layout again does nothing; a different layout under a registered name is refused
     * ({@code SIZE_MISMATCH}). Fields are laid out like a C struct (natural alignment).
     */
    public Status registerComponent(String name, ComponentPolicy policy, Field... fields) {
        List<ComponentSchema.Field> list = new ArrayList<>();
        for (Field f : fields) list.add(new ComponentSchema.Field(f.name(), f.type(), 0));
        ComponentSchema schema = ComponentSchema.of(name, list, policy);
        ComponentStore existing = engine.world().componentStore(schema.typeHash());
        if (existing != null && !existing.schema().equals(schema)) return Status.SIZE_MISMATCH;
        try (Recorder.EngineWrites own = ownWrites()) {
            engine.world().registerComponent(schema);
        }
        if (existing == null) record(new HostEdit.Register(schema));
        return Status.OK;
    }

    /** A component field for {@link #registerComponent}: its name and type (f32, vec3, entity, ...). */
    public record Field(String name, FieldType type) {
        /** A field named {@code name} of {@code type} (its size and alignment: {@link FieldType}). */
        public static Field of(String name, FieldType type) {
            return new Field(name, type);
        }
    }

    /** Spawns an entity at {@code (x, y, z)} (world units); {@link Entities#NULL} when the world is full. */
    public long spawn(float x, float y, float z) {
        long entity;
        try (Recorder.EngineWrites own = ownWrites()) {
            entity = engine.world().spawn(x, y, z, 0, 0, 0, 1, 1, 1, 1);
        }
        if (entity != Entities.NULL) record(new HostEdit.SpawnAt(entity, x, y, z));
        return entity;
    }

    /** Despawns an entity; its scripts are detached (their shutdown runs at the next barrier). */
    public Status despawn(long entity) {
        Status s;
        try (Recorder.EngineWrites own = ownWrites()) {
            s = engine.scripts().despawn(entity);
        }
        if (s == Status.OK) record(new HostEdit.Despawn(entity));
        return s;
    }

    /**
     * Attaches loaded script {@code script} to {@code entity} at priority 0 (lower runs first) in
     * the script's own phase; its init runs before the next phase. {@code NOT_FOUND} when no
     * script of that name is loaded, {@code STALE_ENTITY} when the entity is not alive.
     */
    public Status attach(long entity, String script) {
        return attach(entity, script, 0);
    }

    /**
     * Attaches loaded script {@code script} to {@code entity} at {@code priority} (lower runs
     * first; equal priorities run in attach order). Same results as {@link #attach(long, String)}.
     */
    public Status attach(long entity, String script, int priority) {
        if (engine.scripts().library(script) == null) return Status.NOT_FOUND;
        if (!engine.world().isAlive(entity)) return Status.STALE_ENTITY;
        try (Recorder.EngineWrites own = ownWrites()) {
            engine.scripts().attach(entity, script, priority, null);
        }
        record(new HostEdit.Attach(entity, script, priority, null));
        return Status.OK;
    }

    /** Detaches every instance of {@code script} from {@code entity}; {@code NOT_FOUND} when none. */
    public Status detach(long entity, String script) {
        Status result = Status.NOT_FOUND;
        for (ScriptInstance i : List.copyOf(engine.scripts().scriptsOn(entity))) { // a view: detach edits it
            boolean detached;
            try (Recorder.EngineWrites own = ownWrites()) {
                detached = i.scriptName().equals(script) && engine.scripts().detach(i).ok();
            }
            if (detached) {
                record(new HostEdit.Detach(i.id()));
                result = Status.OK;
            }
        }
        return result;
    }

    /**
     * The world: tags, components, ScriptVars, names (e.g. {@code world().addTag(e, "player")}).
     * What a game writes through it between steps is recorded, when the run records (above).
     */
    public World world() {
        return engine.world();
    }

    /** The engine underneath, for what this facade does not cover (pause, safe mode, recording, ...). */
    public Engine engine() {
        return engine;
    }

    /** The configuration this engine was created with. */
    public KilnConfig config() {
        return config;
    }

    // ---- the frame -----------------------------------------------------------------------------

    /** The input scripts read with {@code ctx.input()}; set it before each {@link #step}. */
    public Input input() {
        return input;
    }

    /**
     * Runs one frame of {@code deltaSeconds} (finite, greater than 0, at most 1: see
     * {@link dev.kiln.engine.FrameTime}). Returns the frame's timings, or null when the inspector
     * paused the engine (then only reloads and inspector edits were applied).
     */
    public FrameStats step(double deltaSeconds) {
        writeInput();
        FrameStats stats = engine.step(deltaSeconds);
        if (stats != null) input.frameRan();
        signals.deliver();
        return stats;
    }

    /** Bulk reads of positions, rotations and scales for rendering. */
    public Transforms transforms() {
        return transforms;
    }

    /** The handle of the engine-owned entity carrying the input (tag and name {@code kiln.input}). */
    public long inputEntity() {
        return inputEntity;
    }

    // ---- signals -------------------------------------------------------------------------------

    /**
     * Calls {@code listener} with every signal named {@code name} that a script emits (targeted or
     * broadcast), at the end of the step that dispatched it. {@code BUFFER_FULL} when
     * {@link HostSignals#SUBSCRIBED_NAMES_MAX} names are subscribed already.
     */
    public Status onSignal(String name, SignalListener listener) {
        return signals.subscribe(name, listener) ? Status.OK : Status.BUFFER_FULL;
    }

    /** Stops calling {@code listener} (the same object given to {@link #onSignal}) for {@code name}. */
    public void removeSignalListener(String name, SignalListener listener) {
        signals.unsubscribe(name, listener);
    }

    /**
     * Sends signal {@code name} with {@code payload} (an extern struct's little-endian bytes, at
     * most 256) to the scripts of {@code target} that connected to it, or to every connected
     * script when {@code target} is {@link Entities#NULL}. Delivered in the first barrier of the
     * next step; the sender scripts see is {@code .null}.
     */
    public Status sendSignal(String name, byte[] payload, long target) {
        Status s = engine.scripts().emitFromHost(name, payload, target);
        if (s == Status.OK) record(new HostEdit.Signal(target, payload.clone(), name));
        return s;
    }

    // ---- the physics route -------------------------------------------------------------------------

    /**
     * Hands the transform requests scripts post for physics-driven entities ({@code setPosition},
     * {@code translate}, {@code setScale}, {@code setVelocity}, {@code setRotation}, {@code rotate},
     * {@code lookAt}: see {@link dev.kiln.script.TransformRequest}) to {@code handler} instead of
     * applying them: the game's physics library decides what they become (a force, a kinematic
     * target, a body teleported) and writes the results back with {@code world().setPosition}
     * and the like. Called on the stepping thread, inside {@link #step}, at the barrier after the
     * phase that posted them, in canonical order (priority, then attach order, then posting order)
     * interleaved with every other request; it may read and write {@link #world()}. Every other
     * entity's requests are applied as usual; null (the default) applies them all.
     *
     * <p>Recording: what the handler writes to {@link #world()} for each request it is handed is
     * recorded with the frame (docs/rewind.md), so a replay, which has not the game's code,
     * makes the same writes; its writes made through this facade's calls ({@link #spawn}, ...)
     * are not.
     */
    public void setPhysicsHandler(PhysicsHandler handler) {
        Recorder recorder = engine.recorder();
        engine.scripts().setPhysicsHandler(recorder == null ? handler : recorder.tapPhysics(handler));
        record(new HostEdit.PhysicsHandlerSet(handler != null));
    }

    /**
     * Flags {@code entity} as physics-driven (or not): its transform requests go to the
     * {@link #setPhysicsHandler physics handler} from the next barrier on. Set from Java only:
     * scripts can neither see nor change it. The flag ends with the entity (a handle reusing its
     * slot is not flagged). {@code STALE_ENTITY} (nothing changed) when the entity is not alive.
     */
    public Status setPhysicsDriven(long entity, boolean driven) {
        if (!engine.world().isAlive(entity)) return Status.STALE_ENTITY;
        engine.scripts().setPhysicsDriven(entity, driven);
        record(new HostEdit.PhysicsDriven(entity, driven));
        return Status.OK;
    }

    /** True when {@code entity} is alive and flagged physics-driven. */
    public boolean isPhysicsDriven(long entity) {
        return engine.scripts().isPhysicsDriven(entity);
    }

    // ---- development -----------------------------------------------------------------------------

    /** The inspector's URL (with its per-run token), or null when it is off. */
    public String inspectorUrl() {
        return inspectorUrl;
    }

    /** Hot reload, or null when it is off: reload or revert a script by hand, pause auto-reload. */
    public HotReloadManager reloads() {
        return reloads;
    }

    /**
     * Stops the inspector and hot reload, runs every script's shutdown and unloads the libraries.
     * Call on the stepping thread; a second call does nothing.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        closeQuietly(inspector);
        closeQuietly(reloads);
        engine.close();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception e) {
            System.err.println("kiln: closing " + c.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
