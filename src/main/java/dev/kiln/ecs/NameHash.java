package dev.kiln.ecs;

import java.nio.charset.StandardCharsets;

/** FNV-1a 64 of a name's UTF-8 bytes: how tags, vars, signals and component types are keyed. */
public final class NameHash {
    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private NameHash() {}

    public static long of(String name) {
        return of(name.getBytes(StandardCharsets.UTF_8));
    }

    public static long of(byte[] utf8) {
        long h = OFFSET;
        for (byte b : utf8) {
            h ^= (b & 0xff);
            h *= PRIME;
        }
        return h;
    }
}
