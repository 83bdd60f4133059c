package dev.kiln.script;

import dev.kiln.abi.CommandBuffer;
import dev.kiln.loader.ContainerMemory;
import dev.kiln.loader.FaultGuard;
import dev.kiln.dataplane.FrameBlock;
import dev.kiln.abi.Layouts;
import dev.kiln.ecs.Status;
import dev.kiln.loader.NativeHeap;
import dev.kiln.loader.NativeLibrary;
import dev.kiln.loader.ScriptCode;
import dev.kiln.state.ContainerHandles;
import dev.kiln.state.StateMigration;
import dev.kiln.state.StateType;
import dev.kiln.state.StateTypeJson;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * One hot-reload swap of a script's library, all-or-nothing: the new library's health check,
 * a dry-run init, every instance's State carried over (the author's serialize/deserialize
 * hooks when both versions have them, else migration by field name plus the optional migrate
 * hook), the old library's unload hook, then the switch and the old library's unload. Every
 * hook runs under the fault guard and the watchdog. If anything fails, nothing changed, the new
 * library is closed and the old one keeps running.
 */
final class LibrarySwap {
    /**
     * The dry-run probe's instance id: never a real instance's (those count up from 1), so the
     * containers its init allocates are its own and freed after it.
     */
    static final int DRY_RUN_INSTANCE_ID = -1;

    /**
     * Rounds of pending shutdowns a swap runs before it (each round's shutdowns may detach more
     * of the script's instances): the depth of a chain of shutdowns a swap waits out.
     */
    static final int SHUTDOWN_FLUSHES_MAX = 8;

    /**
     * What a swap reaches of the runtime: the running versions, the lifecycle queue and phase
     * tables it updates, the frame its hooks run in (under the runtime's guard: the fault
     * handler, the watchdog, the command buffer) and the log. Frame thread.
     */
    interface Host extends FaultRecovery.Context {
        /** Script {@code name}'s running version, or null. */
        ScriptLibrary library(String name);

        /** Makes {@code fresh} script {@code name}'s running version. */
        void replaceLibrary(String name, ScriptLibrary fresh);

        /** True when a detached instance of {@code library} still waits for its shutdown call. */
        boolean awaitsShutdown(ScriptLibrary library);

        /** Runs the pending inits and shutdowns now and applies their requests. */
        void flushLifecycle();

        /** Points the phase tables' entries at {@code fresh} (see {@link PhaseTables#relink}). */
        void relinkPhaseTables(ScriptLibrary old, ScriptLibrary fresh, StateMoves moves);

        /** Forgets {@code old}'s entries and closes it (now, or off the frame thread). */
        void forgetLibrary(ScriptLibrary old, boolean now);

        void logEngine(LogEntry.Level level, String message);

        /** Queues {@code i}'s init again, its State dropped. */
        void initAgain(ScriptInstance i);

        /** {@code i} may have joined or left its phase table. */
        void phaseTableChanged(ScriptInstance i);

        FrameBlock frameBlock();

        long frameIndex();

        /** Seconds. */
        double deltaTime();

        /** Seconds since the run started. */
        double time();

        /** Where a hook's requests are collected for the next barrier. */
        CommandRanges commandRanges();

        CommandBuffer commandBuffer();
    }

    private final Host runtime;
    /** Where instances keep their containers and how much they may hold: all a swap needs of memory. */
    private final ContainerBudgets budgets;

    LibrarySwap(Host runtime, ContainerBudgets budgets) {
        this.runtime = runtime;
        this.budgets = budgets;
    }

    /**
     * Works out off the frame thread what {@link #swap} needs of {@code next} (see
     * {@link PreparedSwap}), against {@code running} (read by the caller from any thread: a
     * stale one only means the swap works it out again).
     */
    static PreparedSwap prepare(ScriptLibrary running, ScriptCode next, ContainerBudgets budgets) {
        if (running == null) return new PreparedSwap(next, null, null, false, null, null, 0, null, false, null, false);
        try {
            boolean relocate = budgets.memoryOf(running.code()) != budgets.memoryOf(next);
            StateMigration migration = new StateMigration(running.info().stateType(), next.info().stateType(),
                    next.info().stateDefaults(), relocate);
            boolean containers = describesContainers(running.info().stateType(), next.info().stateType());
            int states = running.attachedCount(); // a hint read across threads: the swap checks it
            if (keepsStatesInPlace(running, next, migration, relocate)) { // no new States: only the dry run's
                return new PreparedSwap(next, null, running, relocate, migration, null, states, dryRunEntryOf(next),
                        containers, dryRunStateOf(next, running.states()), true);
            }
            ScriptLibrary fresh = ScriptLibrary.nextVersion(running, next);
            StateSlab.Block block = fresh.states().allocateBlock(states + 1);
            if (migration.plainCopies() && !migration.copiesCoverAll()) {
                migration.fillDefaults(block.whole(), block.slotSize(), states);
            }
            return new PreparedSwap(next, fresh, running, relocate, migration, block, states, dryRunEntryOf(next),
                    containers, null, false);
        } catch (RuntimeException e) { // the swap works it out again and reports what fails
            return new PreparedSwap(next, null, null, false, null, null, 0, null, false, null, false);
        }
    }

    /**
     * True when the swap from {@code old} to {@code next} keeps every State where it is: a body
     * edit (the same State type, or for a library without a type description a plan that is one
     * copy of the whole State), both versions in the engine's
     * process with the same slots ({@link ScriptLibrary#statesFit}), and no hook that reads or
     * writes States during the swap (serialize/deserialize, migrate, the old version's unload,
     * which runs after the States are carried and must not reach the new version's). Depends on
     * the two versions only, never on what was prepared or when, so a replay of the recorded run
     * makes the same choice and its State memory (which the frame hash reads) is laid out alike.
     */
    static boolean keepsStatesInPlace(ScriptLibrary old, ScriptCode next, StateMigration migration, boolean relocate) {
        return sameState(old, next, migration) && !relocate && old.statesFit(next)
                && !(old.code().hasSerializeHook() && next.hasDeserializeHook())
                && !next.hasMigrateHook() && !old.code().hasUnloadHook();
    }

    /**
     * Replaces script {@code name}'s library by {@code next} for every instance, migrating each
     * State by field name (see StateMigration). Call between frames. All-or-nothing: if the new
     * library is not a version of this script, its dry-run init fails, or any State cannot be
     * migrated, nothing changes, {@code next} is closed, and the old library keeps running. On
     * success the old library is unloaded.
     */
    SwapResult swap(String name, PreparedSwap prepared) {
        ScriptCode next = prepared.next;
        ScriptLibrary old = runtime.library(name);
        String refusal = old == null ? "no script named '" + name + "' is loaded"
                : !next.info().name().equals(name) ? "the new library is named '" + next.info().name() + "', not '" + name + "'"
                : null;
        if (refusal != null) {
            next.close();
            dropPrepared(prepared);
            return SwapResult.failed(name, refusal);
        }
        // Instances detached since the last barrier still owe a shutdown call to the old code,
        // which is unloaded below: run those now (they would run at the next barrier anyway). A
        // shutdown may detach more of the script's instances (it despawns children carrying the
        // script): flushed again until none waits. One left waiting would run its shutdown on the
        // new version, with a State of the old layout, so past the bound the swap is refused.
        for (int flushes = 0; runtime.awaitsShutdown(old); flushes++) {
            if (flushes == SHUTDOWN_FLUSHES_MAX) {
                next.close();
                dropPrepared(prepared);
                return SwapResult.failed(name, "instances of '" + name + "' still wait for their shutdown after "
                        + SHUTDOWN_FLUSHES_MAX + " rounds of shutdowns detaching more of them; save again to retry");
            }
            runtime.flushLifecycle();
        }
        long t0 = System.nanoTime();
        String unhealthy = guardedHook(next, next::healthCheck, "the new library's health check");
        if (unhealthy != null) {
            next.close();
            dropPrepared(prepared);
            return SwapResult.failed(name, unhealthy);
        }
        long tHealthy = System.nanoTime();
        // An isolated version keeps its containers in its own host: a new version, a new host, so
        // every container moves (in the engine's heap they stay where they are).
        ContainerMemory oldMemory = budgets.memoryOf(old.code()), newMemory = budgets.memoryOf(next);
        boolean relocate = oldMemory != newMemory;
        boolean planned = prepared.against == old && prepared.relocate == relocate && prepared.migration != null;
        StateMigration migration = planned ? prepared.migration : new StateMigration(old.info().stateType(),
                next.info().stateType(), next.info().stateDefaults(), relocate);
        long tInstances = System.nanoTime();
        // The old version's instances, already in canonical order (no scan of every instance).
        ScriptInstance[] affected = old.attachedInOrder();
        boolean authorFormat = old.code().hasSerializeHook() && next.hasDeserializeHook();
        // One scan of the block table, not one per instance. No sweep when containers moved (the
        // new host holds only what was made for the new States), nor when neither version
        // describes containers: a C script may keep handles in fields the engine cannot see into.
        boolean sweep = !relocate && (planned ? prepared.containers
                : describesContainers(old.info().stateType(), next.info().stateType()));
        if (planned ? prepared.inPlace : keepsStatesInPlace(old, next, migration, relocate)) {
            dropPrepared(prepared); // a slab prepared against another version: not used
            return swapInPlace(name, old, next, migration, planned ? prepared : null, affected, sweep, t0, tHealthy, tInstances);
        }
        int[] census = SwapLoops.census(affected);
        int carried = census[0]; // initialised, and init succeeded: State carried over
        boolean needsCare = census[1] != 0;
        long tAllocate = System.nanoTime();
        // Every new State in one block, then one slot for the dry run's throw-away State. The
        // prepared library and block serve only when the block has exactly the slots needed now:
        // the new library's State memory (which the rewind hash reads chunk by chunk, free slots
        // included) is then laid out as by a swap prepared at the boundary, as a replay does it,
        // whatever was attached or detached in between. Otherwise both are left (the prepared
        // slab's memory freed off the frame thread).
        boolean prefilled = planned && prepared.block != null && prepared.states == carried;
        if (!prefilled) dropPrepared(prepared);
        ScriptLibrary fresh = prefilled ? prepared.fresh : ScriptLibrary.nextVersion(old, next);
        StateSlab.Block block = prefilled ? prepared.block : fresh.states().allocateBlock(carried + 1);
        long tDryRun = System.nanoTime();
        MemorySegment dryRunEntry = planned && prepared.dryRunEntry != null ? prepared.dryRunEntry : dryRunEntryOf(next);
        String dryRun = affected.length == 0 ? null
                : dryRunInit(fresh, affected[0].entity(), block.slots()[carried], dryRunEntry, true);
        if (dryRun != null) {
            fresh.close(); // its code and the new States' slab
            return SwapResult.failed(name, dryRun);
        }
        long tMigrate = System.nanoTime();
        // migrated[k]: the new State of affected[k] (null: not initialised yet); an array indexed
        // like `affected`, not a map looked up per instance.
        MemorySegment[] migrated = new MemorySegment[affected.length];
        // Containers' migrated elements wait here until the swap is decided (or, moving to a new
        // host, are made there at once: a failed swap closes that host with them).
        SwapContainers containers = relocate ? new RelocatedContainers(oldMemory, newMemory) : new PendingContainers(budgets.heap());
        boolean plain = !authorFormat && !next.hasMigrateHook() && migration.plainCopies();
        StateMoves moves = null; // a body edit's runs of States: the phase tables relink by them
        if (plain) { // a body edit, fields added, removed or moved: one tight loop of copies
            try {
                moves = SwapLoops.copyStates(migration, affected, block, carried, prefilled, migrated,
                        scratchFor(oldSizeOf(affected)), newScratchFor(migration.newSize()), old.states());
            } catch (RuntimeException e) {
                fresh.close();
                return SwapResult.failed(name, "state migration failed: " + e.getMessage());
            }
        } else if (!authorFormat && !next.hasMigrateHook()) { // a layout edit: one loop, no hook
            try {
                SwapLoops.migrateEach(migration, affected, block.slots(), migrated, containers,
                        scratchFor(oldSizeOf(affected)), newScratchFor(migration.newSize()));
            } catch (RuntimeException e) {
                fresh.close();
                return SwapResult.failed(name, "state migration failed: " + e.getMessage());
            }
        } else {
            String failed = transferEach(name, migration, containers, old, next, affected, block.slots(), migrated,
                    authorFormat, relocate);
            if (failed != null) {
                fresh.close();
                return SwapResult.failed(name, failed);
            }
        }
        long t1 = System.nanoTime();
        runUnloadHook(old, affected); // the old code still sees the old elements
        long tSwitch = System.nanoTime();
        containers.commit();
        Map<Integer, List<NativeHeap.Block>> owned =
                budgets.heap() == null || !sweep ? Map.of() : budgets.heap().blocksByOwner();
        fresh.takeInstancesOf(old);
        fresh.becomeRunning(); // every instance of the script at once
        if (!relocate && owned.isEmpty() && !needsCare) SwapLoops.switchTo(affected, migrated);
        else switchWithCare(fresh, next, affected, migrated, relocate, owned);
        long tSwitched = System.nanoTime();
        // By the runs' moves only when every instance was carried as it was (none runs init again).
        return finish(name, old, fresh, migration, affected.length, needsCare || relocate ? null : moves,
                new Clock(t0, tHealthy, tInstances, tAllocate, tDryRun, tMigrate, t1, tSwitch, tSwitched));
    }

    /**
     * A body edit whose States stay where they are ({@link #keepsStatesInPlace}): the new version
     * takes over the old one's State slab, the dry run runs on a throw-away State of its own, and
     * the script's running version is switched (every instance at once). No State is copied, no
     * instance object is read or written and no phase-table entry's State pointer changes, unless
     * some instances need care ({@link RunningVersion#needingCare}: a fault to clear, an init to
     * run again, whose State goes back to the slab) or containers are swept (those no State
     * names any more are freed). Frame thread; nothing changed when the dry run fails.
     */
    private SwapResult swapInPlace(String name, ScriptLibrary old, ScriptCode next, StateMigration migration,
                                   PreparedSwap prepared, ScriptInstance[] affected, boolean sweep, long t0, long tHealthy,
                                   long tInstances) {
        long tAllocate = System.nanoTime();
        ScriptLibrary fresh = ScriptLibrary.keepingStatesOf(old, next);
        long tDryRun = System.nanoTime();
        MemorySegment entry = prepared != null && prepared.dryRunEntry != null ? prepared.dryRunEntry : dryRunEntryOf(next);
        MemorySegment probeState = prepared != null && prepared.dryRunState != null ? prepared.dryRunState
                : dryRunStateOf(next, old.states());
        String dryRun = affected.length == 0 ? null : dryRunInit(fresh, affected[0].entity(), probeState, entry, false);
        if (dryRun != null) {
            next.close(); // the slab is not its memory: the old version's instances keep their States
            return SwapResult.failed(name, dryRun);
        }
        long tSwitch = System.nanoTime();
        boolean care = old.version().needingCare() != 0; // kept by the instances: no pass over them
        if (care || sweep) {
            Map<Integer, List<NativeHeap.Block>> owned =
                    budgets.heap() == null || !sweep ? Map.of() : budgets.heap().blocksByOwner();
            for (ScriptInstance i : affected) {
                if (i.stateMemory() != null && !i.initSucceeded()) {
                    fresh.states().release(i.stateMemory()); // init runs again from a new slot
                    runtime.initAgain(i);
                } else if (i.fault() != null) { // fixed code gets another chance, with the State it had
                    i.setFault(null);
                    i.setEnabled(true);
                    runtime.phaseTableChanged(i);
                }
                freeUnreferencedContainers(i, next, owned);
            }
        }
        // After everything that can throw: the instances and the registry switch together.
        fresh.becomeRunning(); // every instance of the script at once: no instance object written
        fresh.takeInstancesOf(old);
        long tSwitched = System.nanoTime();
        // Relinked from the instances when some changed (init again: no State), else left as they are.
        return finish(name, old, fresh, migration, affected.length, care ? null : StateMoves.IN_PLACE,
                new Clock(t0, tHealthy, tInstances, tAllocate, tDryRun, tSwitch, tSwitched, tSwitched, tSwitched));
    }

    /**
     * The end of a swap once every instance runs {@code fresh} (and it has the old version's
     * instance list): it takes the old version's name, the phase tables are relinked (by {@code moves} when not
     * null), the old version is handed to the closing thread and the plan's resets logged.
     */
    private SwapResult finish(String name, ScriptLibrary old, ScriptLibrary fresh, StateMigration migration, int instances,
                              StateMoves moves, Clock at) {
        runtime.replaceLibrary(name, fresh);
        long tRelink = System.nanoTime();
        runtime.relinkPhaseTables(old, fresh, moves);
        long tClose = System.nanoTime();
        runtime.forgetLibrary(old, false); // closed off the frame thread: nothing calls it now
        long tEnd = System.nanoTime();
        for (var change : migration.resets()) {
            runtime.logEngine(LogEntry.Level.WARN, "reload of '" + name + "': State field '" + change.field() + "' " + change.detail());
        }
        for (var reset : migration.valueResets()) {
            runtime.logEngine(LogEntry.Level.WARN, "reload of '" + name + "': State field '" + reset.field() + "' in "
                    + reset.instances() + (reset.instances() == 1 ? " instance: " : " instances: ") + reset.detail());
        }
        SwapResult.Parts parts = new SwapResult.Parts(at.allocate - at.instances, at.healthy - at.start + at.migrate - at.dryRun,
                at.instances - at.healthy + at.dryRun - at.allocate + at.carried - at.migrate, at.hookDone - at.carried,
                at.switched - at.hookDone, tClose - at.switched, tEnd - tClose);
        return new SwapResult(true, name, instances, migration.plan(), null, at.carried - at.start,
                System.nanoTime() - at.carried, parts);
    }

    /**
     * A swap's clock readings (System.nanoTime), in the order the steps run: the parts of
     * {@link SwapResult.Parts} are their differences. A body edit's one pass carries and switches
     * at once: its {@code carried}, {@code hookDone} and {@code switched} are the same reading.
     */
    private record Clock(long start, long healthy, long instances, long allocate, long dryRun, long migrate, long carried,
                         long hookDone, long switched) {}

    /** True when either State type holds a container (a walk of both types: prepared off the frame thread). */
    private static boolean describesContainers(StateType oldType, StateType newType) {
        return StateTypeJson.containsList(oldType) || StateTypeJson.containsList(newType);
    }

    /**
     * Carries each instance's State over one by one: the author's serialize/deserialize hooks,
     * or migration by name (containers included) then the migrate hook. Null when every State
     * was carried, else why not.
     */
    private String transferEach(String name, StateMigration migration, SwapContainers containers, ScriptLibrary old,
                                ScriptCode next, ScriptInstance[] affected, MemorySegment[] block,
                                MemorySegment[] migrated, boolean authorFormat, boolean relocate) {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment blob = authorFormat ? scratch.allocate(NativeLibrary.STATE_BLOB_MAX, 8) : null;
            MemorySegment length = scratch.allocate(ValueLayout.JAVA_INT);
            int slot = 0;
            for (int k = 0; k < affected.length; k++) {
                ScriptInstance i = affected[k];
                if (i.stateMemory() == null) continue; // not initialised yet: init runs on the new code
                if (!i.initSucceeded()) continue; // init failed: it runs again on the new code below
                MemorySegment state = block[slot++];
                migrated[k] = state;
                containers.forInstance(i.id());
                String error = authorFormat ? transferByHooks(old, next, i, state, blob, length)
                        : transferByName(migration, containers, old, next, i, state);
                if (error == null && authorFormat && relocate) forgetHandles(next, state); // they named the old host's
                if (error != null) return error + "; no instance was swapped";
            }
            return null;
        } catch (RuntimeException e) {
            return "state migration failed: " + e.getMessage();
        }
    }

    /**
     * The switch of every instance to {@code fresh} (running already) when some need more than a State change:
     * init to run again, a fault to clear, containers that moved or that no State names any more.
     */
    private void switchWithCare(ScriptLibrary fresh, ScriptCode next, ScriptInstance[] affected,
                                MemorySegment[] migrated, boolean relocate, Map<Integer, List<NativeHeap.Block>> owned) {
        for (int k = 0; k < affected.length; k++) {
            ScriptInstance i = affected[k];
            if (relocate) budgets.apply(i); // its budget, in the new host
            if (i.stateMemory() != null && !i.initSucceeded()) {
                runtime.initAgain(i); // before its next update, on the new code
                freeUnreferencedContainers(i, next, owned); // its State starts again from the defaults
                continue;
            }
            if (migrated[k] != null) i.setStateMemory(migrated[k]);
            freeUnreferencedContainers(i, next, owned);
            if (i.fault() != null) { // fixed code gets another chance, with the State it had
                i.setFault(null);
                i.setEnabled(true);
                runtime.phaseTableChanged(i); // back into the phase tables relinked below
            }
        }
    }

    /** The old States' size (every instance of a version has the same), 0 when none is initialised. */
    private static int oldSizeOf(ScriptInstance[] affected) {
        for (ScriptInstance i : affected) if (i.stateMemory() != null) return (int) i.stateMemory().byteSize();
        return 0;
    }

    private byte[] scratchFor(int size) {
        if (oldScratch.length < size) oldScratch = new byte[size];
        return oldScratch;
    }

    private byte[] newScratchFor(int size) {
        if (newScratch.length < size) newScratch = new byte[size];
        return newScratch;
    }

    /**
     * The old library's unload hook, for instances that ran on it, under the guard and the
     * watchdog (the "timeout" of an old version's goodbye). Its requests apply at the next
     * barrier; a fault is reported and does not stop the swap, which is already decided.
     */
    private void runUnloadHook(ScriptLibrary old, ScriptInstance[] affected) {
        if (!old.code().hasUnloadHook() || old.poisoned()) return;
        List<ScriptInstance> initialised = Arrays.stream(affected).filter(i -> i.stateMemory() != null && i.initSucceeded()).toList();
        if (initialised.isEmpty()) return;
        InstanceBatch batch = new InstanceBatch();
        try {
            batch.build(initialised);
            runtime.frameBlock().set(Phase.CODE_UNLOAD, runtime.frameIndex(), runtime.deltaTime(), runtime.time());
            batch.call(runtime.frameBlock().segment(), (lib, f, items, n) -> lib.unload(f, items, n), runtime);
            batch.collectRanges(runtime.commandRanges());
        } finally {
            closeOffFrame(batch);
        }
    }

    /**
     * Frees the State slab {@code prepared} made for a new version when the swap does not use it
     * (refused, kept in place, or its block no longer the right size): off the frame thread, as
     * {@link #closeOffFrame(InstanceBatch)}; nothing reached that slab but the preparation.
     */
    private static void dropPrepared(PreparedSwap prepared) {
        if (prepared.fresh == null) return;
        StateSlab slab = prepared.fresh.states();
        Thread.ofVirtual().name("kiln-swap-slab-close").start(slab::close);
    }

    /**
     * Closes the unload hook's batch on another thread: its
     * memory is a shared arena, whose close waits for every thread of the JVM to acknowledge it
     * (0.1–5 ms on the frame thread under load, measured); nothing reads the batch after its call.
     */
    private static void closeOffFrame(InstanceBatch batch) {
        Thread.ofVirtual().name("kiln-swap-batch-close").start(batch::close);
    }

    /**
     * Frees the instance's containers that its new State no longer names (a removed field, a
     * container reset for its element type, an instance whose init runs again): they would
     * otherwise count against its budget until it detaches.
     */
    private void freeUnreferencedContainers(ScriptInstance i, ScriptCode next,
                                            Map<Integer, List<NativeHeap.Block>> owned) {
        NativeHeap heap = budgets.heap();
        List<NativeHeap.Block> blocks = owned.get(i.id());
        if (heap == null || blocks == null) return;
        Set<Integer> kept = i.stateMemory() == null || !i.initSucceeded() ? Set.of()
                : ContainerHandles.ids(next.info().stateType(),
                        i.stateMemory().toArray(ValueLayout.JAVA_BYTE));
        for (NativeHeap.Block b : blocks) {
            if (!kept.contains(b.id())) heap.freeBlock(b.id());
        }
    }

    /** Zeroes the container handles of a State (the containers they named are in another host). */
    private static void forgetHandles(ScriptCode next, MemorySegment state) {
        byte[] bytes = state.toArray(ValueLayout.JAVA_BYTE);
        Map<Integer, String> found = ContainerHandles.paths(next.info().stateType(), bytes);
        if (found.isEmpty()) return;
        ContainerHandles.clear(next.info().stateType(), bytes);
        state.copyFrom(MemorySegment.ofArray(bytes));
    }

    /** Buffers the States of one swap pass through (see StateMigration#migrate(MemorySegment, ...)). */
    private byte[] oldScratch = new byte[0];
    private byte[] newScratch = new byte[0];

    /** Migration by field name, then the author's migrate hook if the new library has one. */
    private String transferByName(StateMigration migration, SwapContainers containers, ScriptLibrary old,
                                  ScriptCode next, ScriptInstance i, MemorySegment state) {
        int oldSize = (int) i.stateMemory().byteSize();
        if (oldScratch.length < oldSize) oldScratch = new byte[oldSize]; // once per swap, not per instance
        if (newScratch.length < migration.newSize()) newScratch = new byte[migration.newSize()];
        migration.migrate(i.stateMemory(), state, oldScratch, newScratch, containers);
        if (!next.hasMigrateHook()) return null;
        return guardedHook(next, () -> next.migrate(state, i.stateMemory(), old.code()), "the migrate hook for " + i);
    }

    /** The author's own State format: the old version serializes, the new one deserializes. */
    private String transferByHooks(ScriptLibrary old, ScriptCode next, ScriptInstance i,
                                   MemorySegment state, MemorySegment blob,
                                   MemorySegment length) {
        state.copyFrom(MemorySegment.ofArray(next.info().stateDefaults()));
        String error = guardedHook(old.code(), () -> old.code().serialize(i.stateMemory(), blob, length),
                "the old version's serialize hook for " + i);
        if (error != null) return error;
        int written = length.get(ValueLayout.JAVA_INT, 0);
        if (written < 0 || written > blob.byteSize()) return "serialize hook for " + i + " reported " + written + " bytes";
        return guardedHook(next, () -> next.deserialize(state, blob, written), "the deserialize hook for " + i);
    }

    /**
     * Runs a reload hook under the watchdog; null when it returned OK, else why not (its status,
     * or the fault the guard contained).
     */
    private String guardedHook(ScriptCode code, IntSupplier hook, String what) {
        runtime.watchdog().begin(code, runtime.nativeThread());
        int status;
        try {
            status = hook.getAsInt();
        } finally {
            runtime.watchdog().end();
        }
        if (status == Status.OK.code()) return null;
        FaultGuard.Fault fault = status == FaultGuard.STATUS_FAULT ? code.lastFault() : null;
        if (fault != null && fault.kind() != FaultGuard.Kind.NONE) {
            return what + " faulted: " + fault.describe();
        }
        return what + " returned " + Status.ofCode(status);
    }

    /**
     * Runs the new library's init on a throw-away State for a real entity (so its reads work);
     * what it posts is discarded. Null when it returned OK, else why not.
     */
    private String dryRunInit(ScriptLibrary fresh, long entity, MemorySegment state, MemorySegment entry, boolean slabSlot) {
        ScriptInstance probe = ScriptInstance.probe(DRY_RUN_INSTANCE_ID, fresh, entity);
        probe.setStateMemory(state);
        ContainerMemory probeMemory = budgets.memoryOf(fresh.code());
        // The probe's init may fill containers as a real instance's would: the same budget.
        if (probeMemory != null) probeMemory.setBudget(DRY_RUN_INSTANCE_ID, budgets.budgetOf(fresh.name()));
        int usedBefore = runtime.commandBuffer().usedBytes();
        DryRunContext dryRunContext = new DryRunContext();
        try {
            // One kiln_instance entry, no batch: a batch's memory is a shared arena of its own,
            // whose making and closing cost the swap frame more than the call itself.
            InstanceBatch.writeEntry(entry, 0, InstanceBatch.ENTRY, probe);
            runtime.frameBlock().set(Phase.CODE_INIT, runtime.frameIndex(), runtime.deltaTime(), runtime.time());
            FaultRecovery.invoke(fresh, runtime.frameBlock().segment(), entry, InstanceBatch.ENTRY, 1, List.of(probe),
                    (lib, f, items, n) -> lib.init(f, items, n), dryRunContext);
            int status = entry.get(ValueLayout.JAVA_INT, Layouts.INSTANCE_STATUS);
            if (dryRunContext.fault != null) {
                return "dry-run init of the new library faulted: " + dryRunContext.fault.describe()
                        + "; the old version keeps running";
            }
            return status == Status.OK.code() ? null
                    : "dry-run init of the new library returned " + Status.ofCode(status) + "; the old version keeps running";
        } finally {
            runtime.commandBuffer().truncate(usedBefore);
            if (slabSlot) fresh.states().release(state); // else the new version's own memory, freed with it
            if (probeMemory != null) probeMemory.freeInstance(DRY_RUN_INSTANCE_ID); // containers its init made
        }
    }

    /**
     * True when {@code next}'s State is {@code old}'s: the same described type (names, offsets,
     * sizes, padding included) and size; for a library that describes no type (a C script), a
     * plan that copies the whole State as it is.
     */
    private static boolean sameState(ScriptLibrary old, ScriptCode next, StateMigration migration) {
        StateType type = old.info().stateType();
        if (type == null || next.info().stateType() == null) return migration.copiesWholeState();
        return type.equals(next.info().stateType()) && old.info().stateSize() == next.info().stateSize();
    }

    /**
     * The dry run's throw-away State when the States stay in place: one zeroed slot of
     * {@code slab}'s size in {@code next}'s memory (not the slab's, whose bytes the frame hash
     * reads, free slots included); it goes with that version.
     */
    static MemorySegment dryRunStateOf(ScriptCode next, StateSlab slab) {
        return next.stateAllocator().allocate(slab.slotSize(), StateSlab.alignOf(next.info().stateAlign()));
    }

    /** The dry run's one kiln_instance entry, in {@code next}'s memory: it goes with that version. */
    static MemorySegment dryRunEntryOf(ScriptCode next) {
        return next.stateAllocator().allocate(InstanceBatch.ENTRY, 8);
    }

    /** Faults during a reload's dry run refuse the reload; nothing running is disabled. */
    private final class DryRunContext implements FaultRecovery.Context, FaultRecovery.Handler {
        FaultGuard.Fault fault;

        public FaultRecovery.Handler handler() {
            return this;
        }

        public Watchdog watchdog() {
            return runtime.watchdog();
        }

        public long nativeThread() {
            return runtime.nativeThread();
        }

        public int usedBytes() {
            return runtime.commandBuffer().usedBytes();
        }

        public void instanceFaulted(ScriptInstance instance, FaultGuard.Fault f, int cmdOffset) {
            fault = f;
        }

        public void libraryFaulted(ScriptLibrary library, ScriptInstance culprit, FaultGuard.Fault f,
                                   int cmdOffset) {
            fault = f;
        }
    }

}
