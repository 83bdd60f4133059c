package dev.kiln.script;

import dev.kiln.ecs.Status;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * {@link CommandApplier.Host} from the registries it names: what applying a request may reach
 * of the runtime, and nothing else. Frame thread.
 */
final class ApplierHost implements CommandApplier.Host {
    private final LongSupplier frameIndex;
    private final InstanceRegistry instances;
    private final LibraryRegistry libraries;
    private final SignalBus signals;
    private final PhysicsRoute physics;
    private final ScriptReports reports;

    ApplierHost(LongSupplier frameIndex, InstanceRegistry instances, LibraryRegistry libraries, SignalBus signals,
                PhysicsRoute physics, ScriptReports reports) {
        this.frameIndex = frameIndex;
        this.instances = instances;
        this.libraries = libraries;
        this.signals = signals;
        this.physics = physics;
        this.reports = reports;
    }

    @Override
    public long frameIndex() {
        return frameIndex.getAsLong();
    }

    @Override
    public void log(LogEntry.Level level, int source, String message) {
        reports.log(level, source, message);
    }

    @Override
    public ScriptInstance instance(int id) {
        return instances.get(id);
    }

    @Override
    public ScriptInstance sourceInstance(int id) {
        return reports.sourceInstance(id);
    }

    @Override
    public String scriptNameOf(int source) {
        return reports.scriptNameOf(source);
    }

    @Override
    public List<ScriptInstance> scriptsOn(long entity) {
        return instances.scriptsOn(entity);
    }

    @Override
    public ScriptLibrary library(String name) {
        return libraries.library(name);
    }

    @Override
    public ScriptInstance attach(long entity, String name, int priority, Phase phase) {
        return instances.attach(entity, name, priority, phase);
    }

    @Override
    public Status detach(ScriptInstance instance) {
        return instances.detach(instance);
    }

    @Override
    public Status despawn(long entity) {
        return instances.despawn(entity);
    }

    @Override
    public SignalBus signals() {
        return signals;
    }

    @Override
    public PhysicsRoute physics() {
        return physics;
    }

    @Override
    public void noteSignalRefused(int owner) {
        reports.noteSignalRefused(owner);
    }
}
