package dev.kiln.embed;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A signal a script emitted, as a Java subscriber receives it ({@link Kiln#onSignal}).
 *
 * @param name    the signal's name
 * @param sender  the emitting script's entity (a handle; {@code 0}, Entities.NULL, when the
 *                Java host sent it)
 * @param target  the entity it was sent to, or 0 for a broadcast
 * @param payload the payload bytes (a copy: yours to keep); a Zig extern struct's bytes,
 *                little-endian
 */
public record Signal(String name, long sender, long target, byte[] payload) {
    /** The payload as a little-endian buffer, to read an extern struct's fields by offset. */
    public ByteBuffer payloadBuffer() {
        return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
    }
}
