package dev.kiln.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.abi.CommandDecoder;
import dev.kiln.abi.CommandKind;
import dev.kiln.abi.CommandVisitor;
import dev.kiln.abi.ConnectionIds;
import dev.kiln.ecs.Quat;
import dev.kiln.ecs.RotationSpace;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.Vec3;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Command records are bytes a script wrote: the decoder must never throw, read outside the
 * range, or hand the visitor lengths beyond the declared bounds, whatever the bytes are.
 */
class CommandDecoderFuzzTest {
    /** The instance the fuzzed ranges belong to (records must name it as their source). */
    private static final int OWNER = 7;

    /** Counts what was decoded and checks every value it is handed. */
    static final class CheckingVisitor implements CommandVisitor {
        int records;
        int malformed;

        private void name(String s) {
            assertThat(s.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(64);
            records++;
        }

        public void spawn(int s, long p, long r, float px, float py, float pz, float qx, float qy, float qz, float qw,
                          float sx, float sy, float sz, String prefab, String tags) {
            // The engine enforces the SDK's bounds on untrusted records: no name past 64 bytes.
            assertThat(prefab.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(64);
            assertThat(tags.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
            for (String tag : tags.split(",")) {
                assertThat(tag.strip().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(64);
            }
            records++;
        }
        public void despawn(int s, long t) { records++; }
        public void transformVec3(int s, CommandKind k, long t, float x, float y, float z) { records++; }
        public void transformQuat(int s, CommandKind k, long t, Quat q) { records++; }
        public void lookAt(int s, long t, Vec3 p, Vec3 u) { records++; }
        public void addComponent(int s, long t, long h, byte[] d) { assertThat(d.length).isLessThanOrEqualTo(1024); records++; }
        public void removeComponent(int s, long t, long h) { records++; }
        public void named(int s, CommandKind k, long t, String n) { name(n); }
        public void setVar(int s, long t, String k, VarValue v) { name(k); }
        public void log(int s, int l, String m) { assertThat(m.length()).isLessThanOrEqualTo(1024); records++; }
        public void emitSignal(int s, long t, long h, MemorySegment data, long nameAt, int nameLength, int payloadSize) {
            // The view handed over must lie inside the buffer: reading all of it must not throw.
            assertThat(nameLength).isBetween(0, 64);
            assertThat(payloadSize).isBetween(0, 256);
            data.asSlice(nameAt, nameLength + payloadSize).toArray(ValueLayout.JAVA_BYTE);
            records++;
        }
        public void attachScript(int s, long t, String n, int pr, int ph) { name(n); }
        public void rotation(int s, CommandKind k, long t, Quat q, RotationSpace sp) {
            assertThat(sp).isNotNull();
            records++;
        }
        public void addComponent(int s, long t, long h, byte[] d, int mask) { addComponent(s, t, h, d); }
        public void connectSignal(int s, String n, long hash, long sender, long id) {
            name(n);
            assertThat(id).isEqualTo(ConnectionIds.of(hash, sender));
        }
        public void disconnectSignal(int s, long id) { records++; }
        public void malformed(int s, int o, String r) { malformed++; }
    }

    /** A spawn naming a prefab or a tag past KILN_NAME_MAX_BYTES is refused, as the SDK would refuse it. */
    @Example
    void aSpawnWithAnOverlongPrefabOrTagIsRefused() {
        for (String[] names : new String[][] {{"p".repeat(65), ""}, {"", "ok," + "t".repeat(65)}, {"p".repeat(64), "t".repeat(64)}}) {
            byte[] prefab = names[0].getBytes(StandardCharsets.UTF_8);
            byte[] tags = names[1].getBytes(StandardCharsets.UTF_8);
            int size = (72 + prefab.length + tags.length + 7) & ~7;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment d = arena.allocate(size, 8);
                d.set(ValueLayout.JAVA_SHORT, 0, (short) CommandKind.SPAWN.code);
                d.set(ValueLayout.JAVA_SHORT, 2, (short) size);
                d.set(ValueLayout.JAVA_INT, 4, 7);
                d.set(ValueLayout.JAVA_SHORT, 64, (short) prefab.length);
                d.set(ValueLayout.JAVA_SHORT, 66, (short) tags.length);
                d.asSlice(72, prefab.length).copyFrom(MemorySegment.ofArray(prefab));
                d.asSlice(72 + prefab.length, tags.length).copyFrom(MemorySegment.ofArray(tags));
                CheckingVisitor v = new CheckingVisitor();
                CommandDecoder.decode(d, 0, size, 7, v);
                boolean withinBounds = prefab.length <= 64 && names[1].length() <= 64;
                assertThat(v.records).as("%s / %s applied", names[0].length(), names[1].length()).isEqualTo(withinBounds ? 1 : 0);
                assertThat(v.malformed).isEqualTo(withinBounds ? 0 : 1);
            }
        }
    }

    @Property
    void randomBytesNeverBreakTheDecoder(@ForAll("buffers") byte[] bytes, @ForAll @IntRange(max = 64) int offset) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(bytes.length + 8, 8);
            MemorySegment.copy(bytes, 0, data, ValueLayout.JAVA_BYTE, 0, bytes.length);
            CheckingVisitor v = new CheckingVisitor();
            CommandDecoder.decode(data, Math.min(offset, bytes.length), bytes.length - Math.min(offset, bytes.length),
                    OWNER, v);
            assertThat(v.malformed).isLessThanOrEqualTo(1); // decoding stops at the first bad record
        }
    }

    @Property
    void plausibleHeadersWithRandomPayloadsNeverBreakTheDecoder(@ForAll("records") byte[] bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(bytes.length, 8);
            MemorySegment.copy(bytes, 0, data, ValueLayout.JAVA_BYTE, 0, bytes.length);
            CommandDecoder.decode(data, 0, bytes.length, OWNER, new CheckingVisitor());
        }
    }

    @Property
    void rangesOutsideTheBufferAreRefused(@ForAll @IntRange(min = -100, max = 5000) int offset,
                                          @ForAll @IntRange(min = -100, max = 5000) int length) {
        try (Arena arena = Arena.ofConfined()) {
            CheckingVisitor v = new CheckingVisitor();
            CommandDecoder.decode(arena.allocate(1024, 8), offset, length, OWNER, v);
            if (offset < 0 || length < 0 || (long) offset + length > 1024) assertThat(v.malformed).isEqualTo(1);
        }
    }

    @Provide
    Arbitrary<byte[]> buffers() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(512);
    }

    /** Records whose kind and size fields are mostly valid, so decoding gets past the header. */
    @Provide
    Arbitrary<byte[]> records() {
        return Arbitraries.integers().between(1, 12).flatMap(count ->
                Arbitraries.integers().between(1, CommandKind.values().length).list().ofSize(count).flatMap(kinds ->
                        Arbitraries.bytes().array(byte[].class).ofSize(count * 96).map(noise -> {
                            ByteBuffer b = ByteBuffer.wrap(noise).order(ByteOrder.LITTLE_ENDIAN);
                            for (int i = 0; i < count; i++) {
                                b.putShort(i * 96, kinds.get(i).shortValue());
                                b.putShort(i * 96 + 2, (short) 96);
                                b.putInt(i * 96 + 4, OWNER); // past the source check, into each kind's fields
                            }
                            return noise;
                        })));
    }
}
