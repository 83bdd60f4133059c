package dev.kiln.script;

import dev.kiln.ecs.Entities;
import dev.kiln.ecs.Status;
import dev.kiln.ecs.World;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The attached script instances: one index by id (every other view of them is derived from it
 * or kept by their library), each entity's scripts in execution order (priority, then attach
 * order), the lifecycle queues (instances waiting for their init, detached ones waiting for
 * their shutdown), the ids and attach order handed out, and the versions a rewind keyframe
 * compares. Attach, detach, enable and priority changes happen here; the phase tables hear of
 * them ({@link PhaseTables}). Frame thread only.
 */
final class InstanceRegistry {
    private final World world;
    private final LibraryRegistry libraries;
    private final SignalBus signals;
    private final RequestQuotas quotas;
    private final ContainerBudgets budgets;
    private final PhaseTables phaseTables;

    /** Lookups by id and by entity index run per request and per signal: int-keyed, unboxed. */
    private final IntMap<ScriptInstance> byId = new IntMap<>();
    private final IntMap<List<ScriptInstance>> byEntityIndex = new IntMap<>();
    private final List<ScriptInstance> pendingInit = new ArrayList<>();
    private final List<ScriptInstance> pendingShutdown = new ArrayList<>();
    private int nextInstanceId = 1;
    private long nextAttachSequence = 1;
    /** Bumped by every attach, detach, enable, disable and priority change: see {@link #tableVersion}. */
    private long instanceTableVersion;
    /** Bumped when States move to other slots without an attach or detach (a library swap or unload). */
    private long slotsVersion;

    InstanceRegistry(World world, LibraryRegistry libraries, SignalBus signals, RequestQuotas quotas,
                     ContainerBudgets budgets, PhaseTables phaseTables) {
        this.world = world;
        this.libraries = libraries;
        this.signals = signals;
        this.quotas = quotas;
        this.budgets = budgets;
        this.phaseTables = phaseTables;
    }

    /** See {@link ScriptRuntime#attach}. */
    ScriptInstance attach(long entity, String name, int priority, Phase phase) {
        ScriptLibrary library = libraries.library(name);
        if (library == null) throw new IllegalArgumentException("no script named '" + name + "' is loaded");
        if (!world.isAlive(entity)) throw new IllegalArgumentException("entity " + Entities.format(entity) + " is not alive");
        Phase chosen = phase == null ? library.defaultPhase() : phase;
        ScriptInstance instance = new ScriptInstance(nextInstanceId++, library, entity, priority, chosen, nextAttachSequence++);
        instance.watchRoutes(signals.routes());
        instance.setRequestQuota(quotas.of(name));
        budgets.apply(instance);
        instance.setEntityName(world.name(entity));
        library.attached(instance);
        byId.put(instance.id(), instance);
        List<ScriptInstance> onEntity = byEntityIndex.get(Entities.index(entity));
        if (onEntity == null) {
            onEntity = new ArrayList<>();
            byEntityIndex.put(Entities.index(entity), onEntity);
        }
        onEntity.add(instance);
        onEntity.sort(ScriptInstance::compareOrder);
        world.setScriptsListed(Entities.index(entity), true); // its despawn detaches them: not the native path's
        pendingInit.add(instance);
        instanceTableVersion++;
        return instance;
    }

    /** See {@link ScriptRuntime#detach}. */
    Status detach(ScriptInstance instance) {
        if (instance.lifecycle() == ScriptInstance.Lifecycle.DETACHED) return Status.NOT_FOUND;
        boolean wasActive = instance.lifecycle() == ScriptInstance.Lifecycle.ACTIVE;
        instance.setLifecycle(ScriptInstance.Lifecycle.DETACHED);
        instanceTableVersion++;
        pendingInit.remove(instance);
        instance.library().detached(instance);
        byId.remove(instance.id());
        List<ScriptInstance> onEntity = byEntityIndex.get(Entities.index(instance.entity()));
        if (onEntity != null) {
            onEntity.remove(instance);
            if (onEntity.isEmpty()) {
                byEntityIndex.remove(Entities.index(instance.entity()));
                world.setScriptsListed(Entities.index(instance.entity()), false);
            }
        }
        signals.forget(instance);
        if (wasActive) {
            pendingShutdown.add(instance);
            phaseTableChanged(instance);
        } else {
            budgets.free(instance); // no shutdown will run: nothing can use them any more
        }
        return Status.OK;
    }

    /** See {@link ScriptRuntime#despawn}. */
    Status despawn(long entity) {
        if (!world.isAlive(entity)) return Status.STALE_ENTITY;
        List<ScriptInstance> scripts = byEntityIndex.get(Entities.index(entity));
        if (scripts != null) {
            for (ScriptInstance i : List.copyOf(scripts)) detach(i); // detach edits the list
        }
        return world.despawn(entity);
    }

    /** See {@link ScriptRuntime#setEnabled}. */
    Status setEnabled(ScriptInstance instance, boolean enabled) {
        if (instance.lifecycle() == ScriptInstance.Lifecycle.DETACHED) return Status.NOT_FOUND;
        if (instance.enabled() != enabled) {
            instance.setEnabled(enabled);
            phaseTableChanged(instance);
        }
        return Status.OK;
    }

    /** See {@link ScriptRuntime#setPriority}. */
    Status setPriority(ScriptInstance instance, int priority) {
        if (instance.lifecycle() == ScriptInstance.Lifecycle.DETACHED) return Status.NOT_FOUND;
        if (instance.priority() == priority) return Status.OK;
        instance.setPriority(priority);
        instanceTableVersion++;
        instance.library().orderChanged();
        List<ScriptInstance> onEntity = byEntityIndex.get(Entities.index(instance.entity()));
        if (onEntity != null) onEntity.sort(ScriptInstance::compareOrder);
        signals.priorityChanged(instance);
        phaseTables.markDirty();
        return Status.OK;
    }

    /** Notes that {@code i} may have joined or left its phase table (applied before the next phase). */
    void phaseTableChanged(ScriptInstance i) {
        instanceTableVersion++; // every enable and disable comes through here
        phaseTables.changed(i);
    }

    /**
     * The entity's scripts in execution order, the registry's own list (signal dispatch only
     * reads it): an empty list for a dead entity.
     */
    List<ScriptInstance> scriptsOn(long entity) {
        if (!world.isAlive(entity)) return List.of();
        List<ScriptInstance> list = byEntityIndex.get(Entities.index(entity));
        if (list == null) return List.of();
        for (int k = 0; k < list.size(); k++) {
            if (list.get(k).entity() != entity) return sameHandle(list, entity);
        }
        return list;
    }

    /**
     * The instances of {@code list} attached to exactly {@code entity}: an entity removed with
     * World.despawn (not {@link #despawn}) leaves its scripts under its index, which a new
     * entity may reuse; they must not look like the new entity's.
     */
    private static List<ScriptInstance> sameHandle(List<ScriptInstance> list, long entity) {
        List<ScriptInstance> out = new ArrayList<>();
        for (ScriptInstance i : list) if (i.entity() == entity) out.add(i);
        return out;
    }

    /** The scripts listed under entity index {@code index} (whatever its generation), or null. */
    List<ScriptInstance> onIndex(int index) {
        return byEntityIndex.get(index);
    }

    /** The attached instance with id {@code id}, or null. */
    ScriptInstance get(int id) {
        return byId.get(id);
    }

    /** Every attached instance: a live view of the index (no order promised; sort by {@link ScriptInstance#compareOrder}). */
    Collection<ScriptInstance> all() {
        return byId.values();
    }

    /** Instances waiting for their init call, in attach order (the frame runs them; a swap re-queues). */
    List<ScriptInstance> pendingInit() {
        return pendingInit;
    }

    /** Detached instances waiting for their shutdown call. */
    List<ScriptInstance> pendingShutdown() {
        return pendingShutdown;
    }

    /** True when a detached instance of {@code library} still waits for its shutdown call. */
    boolean awaitsShutdown(ScriptLibrary library) {
        for (ScriptInstance i : pendingShutdown) if (i.library() == library) return true;
        return false;
    }

    /** Instances of {@code library} attached or waiting for their shutdown. */
    long usersOf(ScriptLibrary library) {
        return byId.values().stream().filter(i -> i.library() == library).count()
                + pendingShutdown.stream().filter(i -> i.library() == library).count();
    }

    /** A script's running version changed for all its instances (a swap): the signal route tables copy it. */
    void versionSwitched() {
        signals.routes().invalidate();
    }

    /**
     * Queues {@code i}'s init again (its State dropped): a reload gives an instance whose init
     * never succeeded a fresh start on the new code instead of a State its update cannot trust.
     */

    void initAgain(ScriptInstance i) {
        i.setStateMemory(null);
        i.setFault(null);
        i.setEnabled(true);
        i.setLifecycle(ScriptInstance.Lifecycle.PENDING_INIT);
        if (!pendingInit.contains(i)) pendingInit.add(i);
        phaseTableChanged(i);
    }

    /** Instances attached so far (see {@link ScriptRuntime#attachCount}). */
    long attachCount() {
        return nextAttachSequence - 1;
    }

    int nextInstanceId() {
        return nextInstanceId;
    }

    long nextAttachSequence() {
        return nextAttachSequence;
    }

    /** See {@link ScriptRuntime#instanceTableVersion}. */
    long tableVersion() {
        return instanceTableVersion;
    }

    /** Changes when States move to other slots without an attach or detach. */
    long slotsVersion() {
        return slotsVersion;
    }

    /** States moved to other slots (a library swap or unload). */
    void slotsMoved() {
        slotsVersion++;
    }

    /**
     * {@link ScriptRuntime#importInstances}' table part: {@code table} (in attach order, fields
     * set) becomes the instance table; every instance not in it is dropped without a shutdown.
     */
    void replace(List<ScriptInstance> table, int nextId, long nextSequence) {
        Set<ScriptInstance> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(table);
        Set<ScriptInstance> attachedNow = Collections.newSetFromMap(new IdentityHashMap<>());
        attachedNow.addAll(byId.values());
        List<ScriptInstance> dropped = new ArrayList<>();
        for (ScriptInstance i : byId.values()) if (!kept.contains(i)) dropped.add(i);
        for (ScriptInstance i : pendingShutdown) if (!kept.contains(i)) dropped.add(i);
        dropped.sort(Comparator.comparingInt(ScriptInstance::id)); // frees in a canonical order, not the table's
        for (ScriptInstance i : dropped) {
            signals.forget(i);
            budgets.free(i);
            i.setLifecycle(ScriptInstance.Lifecycle.DETACHED);
        }
        pendingInit.clear();
        pendingShutdown.clear();
        // The world's "has scripts" mark (which keeps a despawn off the native path, so it detaches
        // them) follows the table: cleared for the entities listed now, set below for the image's.
        for (ScriptInstance i : byId.values()) world.setScriptsListed(Entities.index(i.entity()), false);
        byId.clear();
        byEntityIndex.clear();
        Map<ScriptLibrary, List<ScriptInstance>> byLibrary = new LinkedHashMap<>();
        for (ScriptLibrary l : libraries.all()) byLibrary.put(l, new ArrayList<>());
        List<List<ScriptInstance>> entityLists = new ArrayList<>();
        for (ScriptInstance i : table) {
            if (!attachedNow.contains(i)) { // made by the image: set up as attach does
                i.watchRoutes(signals.routes());
                i.setRequestQuota(quotas.of(i.scriptName()));
                budgets.apply(i);
            }
            byId.put(i.id(), i);
            List<ScriptInstance> onEntity = byEntityIndex.get(Entities.index(i.entity()));
            if (onEntity == null) {
                byEntityIndex.put(Entities.index(i.entity()), onEntity = new ArrayList<>());
                entityLists.add(onEntity);
            }
            onEntity.add(i);
            world.setScriptsListed(Entities.index(i.entity()), true);
            byLibrary.get(i.library()).add(i);
        }
        for (List<ScriptInstance> onEntity : entityLists) onEntity.sort(ScriptInstance::compareOrder);
        for (Map.Entry<ScriptLibrary, List<ScriptInstance>> e : byLibrary.entrySet()) e.getKey().attachedAre(e.getValue());
        nextInstanceId = nextId;
        nextAttachSequence = nextSequence;
        instanceTableVersion++;
        slotsVersion++;
        phaseTables.reset();
    }
}
