package dev.kiln.cli;

import dev.kiln.build.KilnHome;
import dev.kiln.build.ZigToolchain;
import java.nio.file.Path;

/**
 * The Kiln home and Zig, found before anything starts: without them nothing can be built (not
 * even the fault guard), and the build layer's IllegalStateException would otherwise reach
 * the user as an internal error.
 */
final class Toolchain {
    private Toolchain() {}

    /** The Kiln home; a {@link UserError} saying how to point at one when there is none. */
    static Path home() {
        try {
            return KilnHome.locate();
        } catch (IllegalStateException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    /** Checks the pinned Zig can be found for {@code home}. */
    static void requireZig(Path home) {
        try {
            ZigToolchain.locate(home);
        } catch (IllegalStateException e) {
            throw new UserError(e.getMessage(), e); // it says where it looked and how to install it
        }
    }
}
