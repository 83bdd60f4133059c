package dev.kiln.build;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A first guess at the files a Zig source names: its `@import("x.zig")` / `@import("x.zon")`
 * and `@embedFile("...")` paths, relative to the file. It only seeds a build's snapshot; the
 * truth is what the compiler reports reading (file_system_inputs), and a file it asked for that
 * the guess missed (a computed @embedFile name) is copied in and the build run again.
 * Module imports ("kiln", "std") are not files of the script.
 */
public final class ScriptSources {
    private static final Pattern IMPORT = Pattern.compile("@import\\(\\s*\"([^\"]+\\.(?:zig|zon))\"\\s*\\)");
    private static final Pattern EMBED = Pattern.compile("@embedFile\\(\\s*\"([^\"]+)\"\\s*\\)");

    private ScriptSources() {}

    /** The relative paths {@code text} imports or embeds, in order. */
    public static List<String> references(String text) {
        List<String> out = new ArrayList<>();
        for (Pattern p : List.of(IMPORT, EMBED)) {
            Matcher m = p.matcher(text);
            while (m.find()) out.add(m.group(1));
        }
        return out;
    }
}
