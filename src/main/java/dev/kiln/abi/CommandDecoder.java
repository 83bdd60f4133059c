package dev.kiln.abi;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static dev.kiln.abi.CommandRecords.*;

import dev.kiln.ecs.Euler;
import dev.kiln.ecs.NameHash;
import dev.kiln.ecs.Quat;
import dev.kiln.ecs.RotationSpace;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.Vec3;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Decodes command records from script-written bytes. The bytes are untrusted: every size and
 * length is checked against the record and the range before it is used, and a malformed
 * record stops decoding of its range (reported, never thrown). Field offsets come from the
 * record layouts of {@link CommandRecords} (checked against kiln.h), a record's variable part
 * starts at its kind's fixed size.
 */
public final class CommandDecoder {
    private CommandDecoder() {}

    /**
     * Decodes records in [offset, offset+length) of {@code data}, in order. {@code owner} is the
     * instance whose call wrote the range (the engine knows it; the bytes do not decide it): a
     * record naming another instance as its source is malformed — otherwise a script could
     * connect signals, log or emit in another instance's name.
     */
    public static void decode(MemorySegment data, int offset, int length, int owner, CommandVisitor visitor) {
        decode(data, offset, length, owner, 0, visitor);
    }

    /**
     * As {@link #decode(MemorySegment, int, int, int, CommandVisitor)}, enforcing the owner's
     * request quota ({@code quota} bytes; 0: none) as the SDK does: a record ending more than
     * {@code quota} bytes into the range is refused (not applied), except a LOG record ending
     * within {@link Layouts#LOG_RESERVE_BYTES} more. Decoding goes on past refused records (a
     * later log line may still be within its reserve). Returns how many requests were refused
     * and how many log lines were dropped, packed: read them with {@link #refused} and
     * {@link #logsDropped}.
     */
    public static long decode(MemorySegment data, int offset, int length, int owner, int quota, CommandVisitor visitor) {
        long end = (long) offset + length;
        long requestEnd = quota <= 0 ? Long.MAX_VALUE : (long) offset + quota;
        long logEnd = quota <= 0 ? Long.MAX_VALUE : requestEnd + Layouts.LOG_RESERVE_BYTES;
        long refused = 0; // low 32 bits: requests; high 32 bits: log lines
        if (offset < 0 || length < 0 || end > data.byteSize()) {
            visitor.malformed(owner, offset, "record range " + offset + "+" + length + " outside the buffer");
            return 0;
        }
        if (offset % 8 != 0) { // records are 8-aligned by contract; reading misaligned would throw
            visitor.malformed(owner, offset, "record range starts at " + offset + ", not a multiple of 8");
            return 0;
        }
        long at = offset;
        while (at < end) {
            if (end - at < HEADER_BYTES) {
                visitor.malformed(owner, (int) at, "trailing " + (end - at) + " bytes shorter than a header");
                return refused;
            }
            int kindCode = Short.toUnsignedInt(data.get(JAVA_SHORT, at + HEADER_KIND));
            int size = Short.toUnsignedInt(data.get(JAVA_SHORT, at + HEADER_SIZE));
            int source = data.get(JAVA_INT, at + HEADER_SOURCE);
            if (source != owner) {
                visitor.malformed(owner, (int) at, "record names instance " + source
                        + " as its source, but instance " + owner + " wrote it");
                return refused;
            }
            CommandKind kind = CommandKind.ofCode(kindCode);
            if (kind == null) {
                visitor.malformed(source, (int) at, "unknown command kind " + kindCode);
                return refused;
            }
            if (size < kind.fixedSize || size % 8 != 0 || at + size > end) {
                visitor.malformed(source, (int) at, kind + " record has size " + size + " (fixed part "
                        + kind.fixedSize + ", " + (end - at) + " bytes left)");
                return refused;
            }
            long recordEnd = at + size;
            if (recordEnd > requestEnd && (kind != CommandKind.LOG || recordEnd > logEnd)) {
                refused += kind == CommandKind.LOG ? 1L << 32 : 1; // past the quota: refused, like the SDK does
                at += size;
                continue;
            }
            String error = decodeOne(data, at, size, kind, source, visitor);
            if (error != null) {
                visitor.malformed(source, (int) at, kind + ": " + error);
                return refused;
            }
            at += size;
        }
        return refused;
    }

    /** Requests refused for the quota, from what {@link #decode(MemorySegment, int, int, int, int, CommandVisitor)} returned. */
    public static int refused(long counts) {
        return (int) counts;
    }

    /** Log lines dropped for the quota and its log reserve, from the same. */
    public static int logsDropped(long counts) {
        return (int) (counts >>> 32);
    }

    /**
     * Decodes one record at {@code b} (its fixed part already checked to fit); returns an error
     * text for a malformed one. Fields are read by absolute offset from the buffer and handed
     * on as primitives: no object per record for the hot kinds (this runs for every request).
     */
    private static String decodeOne(MemorySegment d, long b, int recordSize, CommandKind kind, int source,
                                    CommandVisitor v) {
        long target = d.get(JAVA_LONG, b + HEADER_TARGET);
        switch (kind) {
            case SET_POSITION, TRANSLATE, SET_SCALE, SET_VELOCITY -> v.transformVec3(source, kind, target,
                    d.get(JAVA_FLOAT, b + VEC3_VALUE), d.get(JAVA_FLOAT, b + VEC3_VALUE + 4),
                    d.get(JAVA_FLOAT, b + VEC3_VALUE + 8));
            case SPAWN -> {
                int prefabLen = Short.toUnsignedInt(d.get(JAVA_SHORT, b + SPAWN_PREFAB_LEN));
                int tagsLen = Short.toUnsignedInt(d.get(JAVA_SHORT, b + SPAWN_TAGS_LEN));
                if (kind.fixedSize + prefabLen + tagsLen > recordSize) return "name lengths exceed the record";
                // The SDK's bounds, enforced here too: a script's records are untrusted.
                if (prefabLen > Layouts.NAME_MAX_BYTES) return "prefab name of " + prefabLen + " bytes (KILN_NAME_MAX_BYTES is " + Layouts.NAME_MAX_BYTES + ")";
                if (tagsLen > Layouts.LOG_MESSAGE_MAX) return "tag list of " + tagsLen + " bytes (at most KILN_LOG_MESSAGE_MAX, " + Layouts.LOG_MESSAGE_MAX + ")";
                String tags = utf8(d, b + kind.fixedSize + prefabLen, tagsLen);
                if (!tags.isEmpty()) {
                    for (String tag : tags.split(",")) {
                        int bytes = tag.strip().getBytes(StandardCharsets.UTF_8).length;
                        if (bytes > Layouts.NAME_MAX_BYTES) return "a spawn tag of " + bytes + " bytes (KILN_NAME_MAX_BYTES is " + Layouts.NAME_MAX_BYTES + ")";
                    }
                }
                long p = b + SPAWN_POSITION, q = b + SPAWN_ROTATION, s = b + SPAWN_SCALE;
                v.spawn(source, target, d.get(JAVA_LONG, b + SPAWN_REQUEST_ID),
                        d.get(JAVA_FLOAT, p), d.get(JAVA_FLOAT, p + 4), d.get(JAVA_FLOAT, p + 8),
                        d.get(JAVA_FLOAT, q), d.get(JAVA_FLOAT, q + 4), d.get(JAVA_FLOAT, q + 8), d.get(JAVA_FLOAT, q + 12),
                        d.get(JAVA_FLOAT, s), d.get(JAVA_FLOAT, s + 4), d.get(JAVA_FLOAT, s + 8),
                        utf8(d, b + kind.fixedSize, prefabLen), tags);
            }
            case SPAWN_AT -> {
                // a bare entity, identity rotation (x, y, z, w), scale 1: what a SPAWN with those values does
                long p = b + SPAWN_AT_POSITION;
                v.spawn(source, target, d.get(JAVA_LONG, b + SPAWN_AT_REQUEST_ID),
                        d.get(JAVA_FLOAT, p), d.get(JAVA_FLOAT, p + 4), d.get(JAVA_FLOAT, p + 8),
                        0f, 0f, 0f, 1f, 1f, 1f, 1f, "", "");
            }
            case DESPAWN -> v.despawn(source, target);
            case EMIT_SIGNAL -> {
                int nameLen = Short.toUnsignedInt(d.get(JAVA_SHORT, b + SIGNAL_NAME_LEN));
                int payloadSize = Short.toUnsignedInt(d.get(JAVA_SHORT, b + SIGNAL_PAYLOAD_SIZE));
                if (nameLen > Layouts.NAME_MAX_BYTES || payloadSize > Layouts.SIGNAL_PAYLOAD_MAX
                        || kind.fixedSize + nameLen + payloadSize > recordSize) {
                    return "name length " + nameLen + " / payload size " + payloadSize;
                }
                v.emitSignal(source, target, d.get(JAVA_LONG, b + SIGNAL_NAME_HASH), d, b + kind.fixedSize, nameLen, payloadSize);
            }
            case SET_ROTATION, ROTATE -> v.transformQuat(source, kind, target, quat(d, b + QUAT_VALUE));
            case LOOK_AT -> v.lookAt(source, target, vec3(d, b + LOOK_AT_POINT), vec3(d, b + LOOK_AT_UP));
            case ADD_COMPONENT -> {
                int size = d.get(JAVA_INT, b + COMPONENT_SIZE);
                if (size < 0 || size > Layouts.COMPONENT_MAX_BYTES || kind.fixedSize + size > recordSize) {
                    return "component size " + size + " exceeds the record or KILN_COMPONENT_MAX_BYTES";
                }
                // field_mask (was reserved0, written 0 = every field): any 32 bits are meaningful
                v.addComponent(source, target, d.get(JAVA_LONG, b + COMPONENT_TYPE_HASH),
                        d.asSlice(b + kind.fixedSize, size).toArray(JAVA_BYTE), d.get(JAVA_INT, b + COMPONENT_FIELD_MASK));
            }
            case SET_ROTATION_EX, ROTATE_EX -> {
                RotationSpace space = RotationSpace.ofCode(d.get(JAVA_INT, b + ROTATION_SPACE));
                if (space == null) return "unknown rotation space " + d.get(JAVA_INT, b + ROTATION_SPACE);
                int form = d.get(JAVA_INT, b + ROTATION_FORM);
                Quat value = switch (form) {
                    case 0 -> quat(d, b + ROTATION_VALUE);
                    case 1 -> new Euler(d.get(JAVA_FLOAT, b + ROTATION_VALUE), d.get(JAVA_FLOAT, b + ROTATION_VALUE + 4),
                            d.get(JAVA_FLOAT, b + ROTATION_VALUE + 8)).toQuat(); // NaN stays NaN: refused when applied
                    default -> null;
                };
                if (value == null) return "unknown rotation form " + form;
                v.rotation(source, kind, target, value, space);
            }
            case CONNECT_SIGNAL_EX -> {
                int len = d.get(JAVA_INT, b + CONNECT_NAME_LEN);
                if (len <= 0 || len > Layouts.NAME_MAX_BYTES || kind.fixedSize + len > recordSize) return "name length " + len;
                byte[] nameBytes = d.asSlice(b + kind.fixedSize, len).toArray(JAVA_BYTE);
                String name = new String(nameBytes, StandardCharsets.UTF_8);
                long nameHash = d.get(JAVA_LONG, b + CONNECT_NAME_HASH);
                long sender = d.get(JAVA_LONG, b + CONNECT_SENDER);
                long id = d.get(JAVA_LONG, b + CONNECT_ID);
                long hashOfName = NameHash.of(nameBytes);
                if (nameHash != hashOfName) return "name_hash does not match the name '" + name + "'";
                if (id != ConnectionIds.of(nameHash, sender)) {
                    return "connection id " + Long.toUnsignedString(id, 16) + " is not kiln_connection_id of '"
                            + name + "' and sender " + Long.toUnsignedString(sender, 16);
                }
                v.connectSignal(source, name, nameHash, sender, id);
            }
            case DISCONNECT_ID -> v.disconnectSignal(source, d.get(JAVA_LONG, b + CONNECTION_ID));
            case REMOVE_COMPONENT -> v.removeComponent(source, target, d.get(JAVA_LONG, b + COMPONENT_TYPE_HASH));
            case ADD_TAG, REMOVE_TAG, CONNECT_SIGNAL, DISCONNECT_SIGNAL, DETACH_SCRIPT -> {
                int len = d.get(JAVA_INT, b + NAME_LEN);
                if (len < 0 || len > Layouts.NAME_MAX_BYTES || kind.fixedSize + len > recordSize) return "name length " + len;
                v.named(source, kind, target, utf8(d, b + kind.fixedSize, len));
            }
            case SET_VAR -> {
                int type = d.get(JAVA_INT, b + SET_VAR_TYPE);
                int len = d.get(JAVA_INT, b + SET_VAR_KEY_LEN);
                if (len < 0 || len > Layouts.NAME_MAX_BYTES || kind.fixedSize + len > recordSize) return "key length " + len;
                long at = b + SET_VAR_VALUE;
                VarValue value = switch (type) {
                    case VarValue.CODE_F64 -> new VarValue.F64(d.get(JAVA_DOUBLE, at));
                    case VarValue.CODE_I64 -> new VarValue.I64(d.get(JAVA_LONG, at));
                    case VarValue.CODE_BOOL -> new VarValue.Bool(d.get(JAVA_LONG, at) != 0);
                    case VarValue.CODE_VEC3 -> new VarValue.V3(vec3(d, at));
                    default -> null;
                };
                if (value == null) return "unknown var type " + type;
                v.setVar(source, target, utf8(d, b + kind.fixedSize, len), value);
            }
            case LOG -> {
                int level = d.get(JAVA_INT, b + LOG_LEVEL);
                int len = d.get(JAVA_INT, b + LOG_LENGTH);
                if (len < 0 || len > Layouts.LOG_MESSAGE_MAX || kind.fixedSize + len > recordSize) return "message length " + len;
                v.log(source, level, utf8(d, b + kind.fixedSize, len));
            }
            case ATTACH_SCRIPT -> {
                int len = d.get(JAVA_INT, b + ATTACH_NAME_LEN);
                if (len < 0 || len > Layouts.NAME_MAX_BYTES || kind.fixedSize + len > recordSize) return "name length " + len;
                v.attachScript(source, target, utf8(d, b + kind.fixedSize, len), d.get(JAVA_INT, b + ATTACH_PRIORITY),
                        d.get(JAVA_INT, b + ATTACH_PHASE));
            }
        }
        return null;
    }

    private static Vec3 vec3(MemorySegment d, long at) {
        return new Vec3(d.get(JAVA_FLOAT, at), d.get(JAVA_FLOAT, at + 4), d.get(JAVA_FLOAT, at + 8));
    }

    private static Quat quat(MemorySegment d, long at) {
        return new Quat(d.get(JAVA_FLOAT, at), d.get(JAVA_FLOAT, at + 4), d.get(JAVA_FLOAT, at + 8),
                d.get(JAVA_FLOAT, at + 12));
    }

    private static String utf8(MemorySegment d, long at, int len) {
        if (len == 0) return ""; // most spawns name no prefab and no tags
        byte[] bytes = new byte[len];
        MemorySegment.copy(d, JAVA_BYTE, at, bytes, 0, len);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
