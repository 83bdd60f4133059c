package dev.kiln.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files a Zig script is built from: the script and every `.zig` file it imports by relative
 * path, transitively. Their contents name the build output, and a save of any of them reloads
 * the script. Module imports ("kiln", "std") are not files of the script.
 */
public final class ScriptSources {
    private static final Pattern IMPORT = Pattern.compile("@import\\(\\s*\"([^\"]+\\.zig)\"\\s*\\)");
    /** More files than this is not a script but a project: stop following imports. */
    private static final int MAX_FILES = 256;

    private ScriptSources() {}

    /** The script first, then its imports in discovery order; files that do not exist are skipped. */
    public static List<Path> of(Path script) {
        Set<Path> seen = new LinkedHashSet<>();
        Deque<Path> todo = new ArrayDeque<>();
        todo.add(script.toAbsolutePath().normalize());
        while (!todo.isEmpty() && seen.size() < MAX_FILES) {
            Path file = todo.poll();
            if (!seen.add(file) || !file.toString().endsWith(".zig")) continue;
            String text;
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                continue; // a missing import is the compiler's to report, with its line
            }
            Matcher m = IMPORT.matcher(text);
            while (m.find()) {
                Path imported = file.getParent().resolve(m.group(1)).normalize();
                if (Files.isRegularFile(imported) && !seen.contains(imported)) todo.add(imported);
            }
        }
        return new ArrayList<>(seen);
    }
}
