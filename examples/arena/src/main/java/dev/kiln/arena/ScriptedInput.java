package dev.kiln.arena;

import dev.kiln.embed.Input;

/**
 * The input of a test run (--scripted), by frame: right for one second, then up for 0.75 s;
 * "fire" held for the first {@link #FIRE_FRAMES} frames, so that enemies gather afterwards. The player should end 8 units right and 6 up of where it started
 * (player_speed 8 in scripts/arena.zig).
 */
final class ScriptedInput {
    private ScriptedInput() {}

    static final int RIGHT_FRAMES = 60;
    static final int UP_FRAMES = 45;
    static final int FIRE_FRAMES = 150;

    static void apply(Input input, long frame) {
        input.set("right", frame < RIGHT_FRAMES);
        input.set("up", frame >= RIGHT_FRAMES && frame < RIGHT_FRAMES + UP_FRAMES);
        input.set("fire", frame < FIRE_FRAMES);
    }
}
