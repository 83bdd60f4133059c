package dev.kiln.abi;

import dev.kiln.ecs.Quat;
import dev.kiln.ecs.RotationSpace;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.Vec3;
import java.lang.foreign.MemorySegment;

/**
 * Receives decoded command records in posting order. {@code source} is the posting instance's
 * id, {@code target} the entity handle the record names (possibly pending).
 *
 * <p>The hot kinds (spawn, despawn, the vec3 transforms, emit_signal) are handed over as
 * primitives read straight from the record, so decoding and applying them allocates nothing;
 * the rare kinds keep value objects and strings.
 */
public interface CommandVisitor {
    /** {@code prefab} and {@code tags} are "" (no allocation) when the record names none. */
    void spawn(int source, long pendingTarget, long requestId, float px, float py, float pz,
               float qx, float qy, float qz, float qw, float sx, float sy, float sz, String prefab, String tags);

    void despawn(int source, long target);

    /** SET_POSITION, TRANSLATE, SET_SCALE, SET_VELOCITY. */
    void transformVec3(int source, CommandKind kind, long target, float x, float y, float z);

    void transformQuat(int source, CommandKind kind, long target, Quat value);

    void lookAt(int source, long target, Vec3 point, Vec3 up);

    /**
     * SET_ROTATION_EX, ROTATE_EX: {@code value} already a quaternion (an Euler form converted by
     * the decoder), not yet checked for finiteness. Default: as the original records do
     * (which rotate about the world axes).
     */
    default void rotation(int source, CommandKind kind, long target, Quat value, RotationSpace space) {
        transformQuat(source, kind == CommandKind.SET_ROTATION_EX ? CommandKind.SET_ROTATION : CommandKind.ROTATE,
                target, value);
    }

    void addComponent(int source, long target, long typeHash, byte[] data);

    /** ADD_COMPONENT with its field_mask (bit i: field i set; 0: every field), for "merge" policies. */
    default void addComponent(int source, long target, long typeHash, byte[] data, int fieldMask) {
        addComponent(source, target, typeHash, data);
    }

    void removeComponent(int source, long target, long typeHash);

    /** ADD_TAG, REMOVE_TAG, CONNECT_SIGNAL, DISCONNECT_SIGNAL, DETACH_SCRIPT. */
    void named(int source, CommandKind kind, long target, String name);

    void setVar(int source, long target, String key, VarValue value);

    void log(int source, int level, String message);

    /**
     * The name is {@code nameLength} bytes at {@code data[nameAt]}, the payload
     * {@code payloadSize} bytes right after it; both lengths already checked against the
     * record and the ABI's limits. The bytes are only valid during this call: copy them.
     */
    void emitSignal(int source, long target, long nameHash, MemorySegment data, long nameAt, int nameLength,
                    int payloadSize);

    /**
     * CONNECT_SIGNAL_EX: {@code connectionId} already checked to be
     * kiln_connection_id(nameHash, sender) and nameHash the hash of the name's bytes; {@code sender} 0 for any sender.
     */
    default void connectSignal(int source, String name, long nameHash, long sender, long connectionId) {}

    /** DISCONNECT_ID. */
    default void disconnectSignal(int source, long connectionId) {}

    void attachScript(int source, long target, String script, int priority, int phase);

    /** A record that could not be decoded; the rest of the range is skipped. */
    void malformed(int source, int offset, String reason);
}
