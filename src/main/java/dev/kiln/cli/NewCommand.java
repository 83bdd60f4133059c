package dev.kiln.cli;

import dev.kiln.build.KilnHome;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `kiln new <dir>`: scaffolds a script project. */
@Command(name = "new", mixinStandardHelpOptions = true,
        description = "Create a script project: a starter script, a scene and an editor-friendly build.zig.")
final class NewCommand extends VerboseCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "Folder to create (must not exist, or be empty).")
    Path dir;

    @Option(names = "--script", defaultValue = "hello", description = "Name of the starter script (default: ${DEFAULT-VALUE}).")
    String script;

    @Override
    public Integer call() throws Exception {
        Path sdk = KilnHome.sdkDir(Toolchain.home());
        List<Path> files;
        try {
            files = Scaffold.create(dir, script, sdk);
        } catch (IllegalArgumentException e) {
            System.err.println("kiln new: " + e.getMessage());
            return 2;
        }
        System.out.println("Created " + dir.toAbsolutePath().normalize() + ":");
        for (Path f : files) System.out.println("  " + dir.relativize(f));
        System.out.println();
        System.out.println("Next: run it with   ./kiln run " + dir.resolve("scene.json") + " --frames 120");
        System.out.println("      open " + dir.resolve("scripts").resolve(script + ".zig")
                + " in an editor with the Zig language server: build.zig resolves @import(\"kiln\").");
        return 0;
    }
}
