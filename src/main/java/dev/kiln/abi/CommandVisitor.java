package dev.kiln.abi;

import dev.kiln.ecs.Quat;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.Vec3;

/**
 * Receives decoded command records in posting order. {@code source} is the posting instance's
 * id, {@code target} the entity handle the record names (possibly pending).
 */
public interface CommandVisitor {
    void spawn(int source, long pendingTarget, long requestId, Vec3 position, Quat rotation, Vec3 scale,
               String prefab, String tags);

    void despawn(int source, long target);

    void transformVec3(int source, CommandKind kind, long target, Vec3 value);

    void transformQuat(int source, CommandKind kind, long target, Quat value);

    void lookAt(int source, long target, Vec3 point, Vec3 up);

    void addComponent(int source, long target, long typeHash, byte[] data);

    void removeComponent(int source, long target, long typeHash);

    /** ADD_TAG, REMOVE_TAG, CONNECT_SIGNAL, DISCONNECT_SIGNAL, DETACH_SCRIPT. */
    void named(int source, CommandKind kind, long target, String name);

    void setVar(int source, long target, String key, VarValue value);

    void log(int source, int level, String message);

    void emitSignal(int source, long target, long nameHash, String name, byte[] payload);

    void attachScript(int source, long target, String script, int priority, int phase);

    /** A record that could not be decoded; the rest of the range is skipped. */
    void malformed(int source, int offset, String reason);
}
