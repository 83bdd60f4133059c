package dev.kiln.abi;

/**
 * kiln_connection_id of abi/kiln.h: a signal connection's id is a function of what it connects
 * (the signal's name hash and the one sender it listens to, 0 for any). So a script knows the
 * id the moment it posts the request — no result has to come back from the barrier — and the
 * id is the same after a hot reload, in any process, for an isolated script too.
 */
public final class ConnectionIds {
    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private ConnectionIds() {}

    /** FNV-1a 64 over the 16 little-endian bytes of nameHash then sender; never 0. */
    public static long of(long nameHash, long sender) {
        long h = OFFSET;
        for (int i = 0; i < 8; i++) {
            h ^= (nameHash >>> (8 * i)) & 0xff;
            h *= PRIME;
        }
        for (int i = 0; i < 8; i++) {
            h ^= (sender >>> (8 * i)) & 0xff;
            h *= PRIME;
        }
        return h == 0 ? 1 : h;
    }
}
