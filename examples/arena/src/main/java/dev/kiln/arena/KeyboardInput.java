package dev.kiln.arena;

import com.badlogic.gdx.Gdx;
import com.badlogic.gdx.Input.Keys;
import dev.kiln.embed.Input;

/** The keyboard, as the actions scripts read: arrows or WASD to move, space to fire. */
final class KeyboardInput {
    private KeyboardInput() {}

    static void apply(Input input) {
        input.set("left", down(Keys.LEFT, Keys.A));
        input.set("right", down(Keys.RIGHT, Keys.D));
        input.set("up", down(Keys.UP, Keys.W));
        input.set("down", down(Keys.DOWN, Keys.S));
        input.set("fire", down(Keys.SPACE, Keys.SPACE));
    }

    private static boolean down(int key, int alternative) {
        return Gdx.input.isKeyPressed(key) || Gdx.input.isKeyPressed(alternative);
    }
}
