package dev.kiln.abi;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.NameHash;
import dev.kiln.ecs.Quat;
import dev.kiln.ecs.RotationSpace;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.Vec3;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The records added on 2026-11-30 are untrusted input like the others: each bad field is refused with what was wrong. */
class NewRecordValidationTest {
    private static final int OWNER = 7;

    /** What the decoder handed over: "rotation ...", "connect ...", or "malformed: reason". */
    private final List<String> seen = new ArrayList<>();

    private final CommandVisitor visitor = new CommandVisitor() {
        public void spawn(int s, long p, long r, float px, float py, float pz, float qx, float qy, float qz, float qw,
                          float sx, float sy, float sz, String prefab, String tags) {}
        public void despawn(int s, long t) {}
        public void transformVec3(int s, CommandKind k, long t, float x, float y, float z) {}
        public void transformQuat(int s, CommandKind k, long t, Quat q) {}
        public void lookAt(int s, long t, Vec3 p, Vec3 u) {}
        public void addComponent(int s, long t, long h, byte[] d) {}
        public void addComponent(int s, long t, long h, byte[] d, int mask) { seen.add("component mask " + mask); }
        public void removeComponent(int s, long t, long h) {}
        public void named(int s, CommandKind k, long t, String n) {}
        public void setVar(int s, long t, String k, VarValue v) {}
        public void log(int s, int l, String m) {}
        public void emitSignal(int s, long t, long h, MemorySegment d, long at, int n, int p) {}
        public void attachScript(int s, long t, String n, int pr, int ph) {}
        public void rotation(int s, CommandKind k, long t, Quat q, RotationSpace sp) { seen.add("rotation " + k + " " + sp); }
        public void connectSignal(int s, String n, long hash, long sender, long id) { seen.add("connect " + n + " " + sender); }
        public void disconnectSignal(int s, long id) { seen.add("disconnect " + id); }
        public void malformed(int s, int o, String r) { seen.add("malformed: " + r); }
    };

    private void decode(MemorySegment record) {
        CommandDecoder.decode(record, 0, (int) record.byteSize(), OWNER, visitor);
    }

    private static MemorySegment record(Arena arena, CommandKind kind, int size) {
        MemorySegment m = arena.allocate(size, 8);
        m.set(JAVA_SHORT, 0, (short) kind.code);
        m.set(JAVA_SHORT, 2, (short) size);
        m.set(JAVA_INT, 4, OWNER);
        return m;
    }

    @Test
    void aRotationWithAnUnknownSpaceOrFormIsMalformed() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment r = record(arena, CommandKind.ROTATE_EX, 40);
            r.set(JAVA_FLOAT, 28, 1f);
            r.set(JAVA_INT, 32, 1);
            decode(r);
            r.set(JAVA_INT, 32, 2);
            decode(r);
            r.set(JAVA_INT, 32, 0);
            r.set(JAVA_INT, 36, 9);
            decode(r);
            decode(record(arena, CommandKind.SET_ROTATION_EX, 32).reinterpret(32)); // shorter than its fixed part
        }
        assertThat(seen).containsExactly("rotation ROTATE_EX WORLD", "malformed: ROTATE_EX: unknown rotation space 2",
                "malformed: ROTATE_EX: unknown rotation form 9",
                "malformed: SET_ROTATION_EX record has size 32 (fixed part 40, 32 bytes left)");
    }

    private static MemorySegment connect(Arena arena, String name, long nameHash, long sender, long id, int nameLen) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        MemorySegment c = record(arena, CommandKind.CONNECT_SIGNAL_EX, 48 + (bytes.length + 7) / 8 * 8);
        c.set(JAVA_LONG, 16, nameHash);
        c.set(JAVA_LONG, 24, sender);
        c.set(JAVA_LONG, 32, id);
        c.set(JAVA_INT, 40, nameLen);
        MemorySegment.copy(bytes, 0, c, JAVA_BYTE, 48, bytes.length);
        return c;
    }

    @Test
    void aConnectionWhoseIdOrHashDoesNotMatchItsNameAndSenderIsMalformed() {
        long hash = NameHash.of("hello");
        try (Arena arena = Arena.ofConfined()) {
            decode(connect(arena, "hello", hash, 5, ConnectionIds.of(hash, 5), 5));
            decode(connect(arena, "hello", hash, 5, ConnectionIds.of(hash, 6), 5));
            decode(connect(arena, "hello", hash + 1, 5, ConnectionIds.of(hash + 1, 5), 5));
            decode(connect(arena, "hello", hash, 5, ConnectionIds.of(hash, 5), 65));
            decode(connect(arena, "hello", hash, 5, ConnectionIds.of(hash, 5), 0));
        }
        assertThat(seen).hasSize(5);
        assertThat(seen.get(0)).isEqualTo("connect hello 5");
        assertThat(seen.get(1)).startsWith("malformed: CONNECT_SIGNAL_EX: connection id ").contains("is not kiln_connection_id of 'hello'");
        assertThat(seen.get(2)).isEqualTo("malformed: CONNECT_SIGNAL_EX: name_hash does not match the name 'hello'");
        assertThat(seen.get(3)).isEqualTo("malformed: CONNECT_SIGNAL_EX: name length 65");
        assertThat(seen.get(4)).isEqualTo("malformed: CONNECT_SIGNAL_EX: name length 0");
    }

    @Test
    void theComponentFieldMaskIsHandedOn() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment c = record(arena, CommandKind.ADD_COMPONENT, 40);
            c.set(JAVA_INT, 24, 8);
            c.set(JAVA_INT, 28, 0b101);
            decode(c);
        }
        assertThat(seen).containsExactly("component mask 5");
    }

    @Test
    void connectionIdsAreNeverZeroAndDependOnBothParts() {
        assertThat(ConnectionIds.of(1, 0)).isNotEqualTo(ConnectionIds.of(1, 2)).isNotEqualTo(ConnectionIds.of(2, 0));
        assertThat(ConnectionIds.of(0, 0)).isNotZero();
    }
}
