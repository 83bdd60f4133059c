package dev.kiln.arena;

/**
 * The arena's geometry as the game draws it; scripts/arena.zig has the same half sizes. The
 * window shows the whole arena at {@link #PIXELS_PER_UNIT}, centred: world (0, 0) is the
 * window's centre, +y up.
 */
final class Arena {
    private Arena() {}

    static final float HALF_WIDTH = 20;
    static final float HALF_HEIGHT = 12;
    static final int PIXELS_PER_UNIT = 20;
    static final int WINDOW_WIDTH = (int) (2 * HALF_WIDTH * PIXELS_PER_UNIT);
    static final int WINDOW_HEIGHT = (int) (2 * HALF_HEIGHT * PIXELS_PER_UNIT);

    /** Edge lengths of the squares drawn, in world units. */
    static final float PLAYER_SIZE = 1.0f;
    static final float ENEMY_SIZE = 0.9f;
    static final float BULLET_SIZE = 0.3f;

    /** Most entities of a kind drawn per frame (the arrays are allocated once). */
    static final int DRAWN_MAX = 1024;
}
