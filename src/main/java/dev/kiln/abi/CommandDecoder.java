package dev.kiln.abi;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.kiln.ecs.Quat;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.Vec3;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Decodes command records from script-written bytes. The bytes are untrusted: every size and
 * length is checked against the record and the range before it is used, and a malformed
 * record stops decoding of its range (reported, never thrown).
 */
public final class CommandDecoder {
    private CommandDecoder() {}

    /** Decodes records in [offset, offset+length) of {@code data}, in order. */
    public static void decode(MemorySegment data, int offset, int length, CommandVisitor visitor) {
        long end = (long) offset + length;
        if (offset < 0 || length < 0 || end > data.byteSize()) {
            visitor.malformed(-1, offset, "record range " + offset + "+" + length + " outside the buffer");
            return;
        }
        if (offset % 8 != 0) { // records are 8-aligned by contract; reading misaligned would throw
            visitor.malformed(-1, offset, "record range starts at " + offset + ", not a multiple of 8");
            return;
        }
        long at = offset;
        while (at < end) {
            if (end - at < 16) {
                visitor.malformed(-1, (int) at, "trailing " + (end - at) + " bytes shorter than a header");
                return;
            }
            int kindCode = Short.toUnsignedInt(data.get(JAVA_SHORT, at));
            int size = Short.toUnsignedInt(data.get(JAVA_SHORT, at + 2));
            int source = data.get(JAVA_INT, at + 4);
            CommandKind kind = CommandKind.ofCode(kindCode);
            if (kind == null) {
                visitor.malformed(source, (int) at, "unknown command kind " + kindCode);
                return;
            }
            if (size < kind.fixedSize || size % 8 != 0 || at + size > end) {
                visitor.malformed(source, (int) at, kind + " record has size " + size + " (fixed part "
                        + kind.fixedSize + ", " + (end - at) + " bytes left)");
                return;
            }
            String error = decodeOne(data, at, size, kind, source, visitor);
            if (error != null) {
                visitor.malformed(source, (int) at, kind + ": " + error);
                return;
            }
            at += size;
        }
    }

    /** Decodes one record; returns an error text for a malformed one. */
    private static String decodeOne(MemorySegment d, long base, int recordSize, CommandKind kind, int source,
                                    CommandVisitor v) {
        Record r = new Record(d, base, recordSize);
        long target = r.get(JAVA_LONG, 8);
        switch (kind) {
            case SPAWN -> {
                int prefabLen = Short.toUnsignedInt(r.get(JAVA_SHORT, 64));
                int tagsLen = Short.toUnsignedInt(r.get(JAVA_SHORT, 66));
                if (72L + prefabLen + tagsLen > r.byteSize()) return "name lengths exceed the record";
                v.spawn(source, target, r.get(JAVA_LONG, 16), vec3(r, 24), quat(r, 36), vec3(r, 52),
                        utf8(r, 72, prefabLen), utf8(r, 72 + prefabLen, tagsLen));
            }
            case DESPAWN -> v.despawn(source, target);
            case SET_POSITION, TRANSLATE, SET_SCALE, SET_VELOCITY -> v.transformVec3(source, kind, target, vec3(r, 16));
            case SET_ROTATION, ROTATE -> v.transformQuat(source, kind, target, quat(r, 16));
            case LOOK_AT -> v.lookAt(source, target, vec3(r, 16), vec3(r, 28));
            case ADD_COMPONENT -> {
                int size = r.get(JAVA_INT, 24);
                if (size < 0 || size > Layouts.COMPONENT_MAX_BYTES || 32L + size > r.byteSize()) {
                    return "component size " + size + " exceeds the record or KILN_COMPONENT_MAX_BYTES";
                }
                v.addComponent(source, target, r.get(JAVA_LONG, 16), r.asSlice(32, size).toArray(JAVA_BYTE));
            }
            case REMOVE_COMPONENT -> v.removeComponent(source, target, r.get(JAVA_LONG, 16));
            case ADD_TAG, REMOVE_TAG, CONNECT_SIGNAL, DISCONNECT_SIGNAL, DETACH_SCRIPT -> {
                int len = r.get(JAVA_INT, 24);
                if (len < 0 || len > Layouts.NAME_MAX_BYTES || 32L + len > r.byteSize()) return "name length " + len;
                v.named(source, kind, target, utf8(r, 32, len));
            }
            case SET_VAR -> {
                int type = r.get(JAVA_INT, 24);
                int len = r.get(JAVA_INT, 28);
                if (len < 0 || len > Layouts.NAME_MAX_BYTES || 48L + len > r.byteSize()) return "key length " + len;
                VarValue value = switch (type) {
                    case 1 -> new VarValue.F64(r.get(JAVA_DOUBLE, 32));
                    case 2 -> new VarValue.I64(r.get(JAVA_LONG, 32));
                    case 3 -> new VarValue.Bool(r.get(JAVA_LONG, 32) != 0);
                    case 4 -> new VarValue.V3(vec3(r, 32));
                    default -> null;
                };
                if (value == null) return "unknown var type " + type;
                v.setVar(source, target, utf8(r, 48, len), value);
            }
            case LOG -> {
                int level = r.get(JAVA_INT, 16);
                int len = r.get(JAVA_INT, 20);
                if (len < 0 || len > Layouts.LOG_MESSAGE_MAX || 24L + len > r.byteSize()) return "message length " + len;
                v.log(source, level, utf8(r, 24, len));
            }
            case EMIT_SIGNAL -> {
                int nameLen = Short.toUnsignedInt(r.get(JAVA_SHORT, 24));
                int payloadSize = Short.toUnsignedInt(r.get(JAVA_SHORT, 26));
                if (nameLen > Layouts.NAME_MAX_BYTES || payloadSize > Layouts.SIGNAL_PAYLOAD_MAX
                        || 32L + nameLen + payloadSize > r.byteSize()) {
                    return "name length " + nameLen + " / payload size " + payloadSize;
                }
                v.emitSignal(source, target, r.get(JAVA_LONG, 16), utf8(r, 32, nameLen),
                        r.asSlice(32 + nameLen, payloadSize).toArray(JAVA_BYTE));
            }
            case ATTACH_SCRIPT -> {
                int len = r.get(JAVA_INT, 24);
                if (len < 0 || len > Layouts.NAME_MAX_BYTES || 32L + len > r.byteSize()) return "name length " + len;
                v.attachScript(source, target, utf8(r, 32, len), r.get(JAVA_INT, 16), r.get(JAVA_INT, 20));
            }
        }
        return null;
    }

    /**
     * A record inside the buffer, read by absolute offset: no slice object per record (the
     * decoder runs for every request, so a per-record allocation shows in profiles).
     */
    private record Record(MemorySegment data, long base, long byteSize) {
        short get(java.lang.foreign.ValueLayout.OfShort layout, long offset) {
            return data.get(layout, base + offset);
        }

        int get(java.lang.foreign.ValueLayout.OfInt layout, long offset) {
            return data.get(layout, base + offset);
        }

        long get(java.lang.foreign.ValueLayout.OfLong layout, long offset) {
            return data.get(layout, base + offset);
        }

        float get(java.lang.foreign.ValueLayout.OfFloat layout, long offset) {
            return data.get(layout, base + offset);
        }

        double get(java.lang.foreign.ValueLayout.OfDouble layout, long offset) {
            return data.get(layout, base + offset);
        }

        MemorySegment asSlice(long offset, long length) {
            return data.asSlice(base + offset, length);
        }
    }

    private static Vec3 vec3(Record r, long at) {
        return new Vec3(r.get(JAVA_FLOAT, at), r.get(JAVA_FLOAT, at + 4), r.get(JAVA_FLOAT, at + 8));
    }

    private static Quat quat(Record r, long at) {
        return new Quat(r.get(JAVA_FLOAT, at), r.get(JAVA_FLOAT, at + 4), r.get(JAVA_FLOAT, at + 8),
                r.get(JAVA_FLOAT, at + 12));
    }

    private static String utf8(Record r, long at, int len) {
        if (len == 0) return ""; // most spawns name no prefab and no tags
        byte[] bytes = new byte[len];
        MemorySegment.copy(r.data(), JAVA_BYTE, r.base() + at, bytes, 0, len);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
