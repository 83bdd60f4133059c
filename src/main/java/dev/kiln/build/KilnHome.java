package dev.kiln.build;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the Kiln checkout (zig/sdk, abi/, zig/ZIG_VERSION) is. */
public final class KilnHome {
    private KilnHome() {}

    /** From -Dkiln.home, then KILN_HOME, then the nearest parent of the working dir with zig/ZIG_VERSION. */
    public static Path locate() {
        String prop = System.getProperty("kiln.home");
        if (prop != null && !prop.isBlank()) return checked(Path.of(prop), "-Dkiln.home");
        String env = System.getenv("KILN_HOME");
        if (env != null && !env.isBlank()) return checked(Path.of(env), "KILN_HOME");
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("zig/ZIG_VERSION"))) return p;
        }
        throw new IllegalStateException("cannot find the Kiln home (a folder with zig/ZIG_VERSION): "
                + "run through ./kiln, or set -Dkiln.home / KILN_HOME");
    }

    private static Path checked(Path home, String from) {
        Path abs = home.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs.resolve("zig/ZIG_VERSION"))) {
            throw new IllegalStateException(from + " = " + abs + " has no zig/ZIG_VERSION: not a Kiln checkout");
        }
        return abs;
    }

    public static Path sdkDir(Path home) {
        return home.resolve("zig/sdk");
    }

    public static Path abiDir(Path home) {
        return home.resolve("abi");
    }
}
