package dev.kiln.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Build-time warnings for what breaks replay in a Zig script (docs/scripting.md, "Determinism and
 * replay"): a clock, OS randomness, files or the environment read through std, and mutable state
 * at file scope (a {@code var} declared at a container's level: the file's, or a struct's, enum's,
 * union's; not inside a function). A text scan of the script's own
 * file, comments and strings left out: it sees only what the file spells out (not a clock reached
 * through another file or a helper), so it warns where it can tell and says nothing otherwise.
 * Warnings, never errors: a script may use a clock for logging and still replay.
 */
public final class DeterminismLint {
    private DeterminismLint() {}

    /** What a spelling reaches, and what to use instead. */
    private record Rule(Pattern pattern, String what) {}

    private static final List<Rule> RULES = List.of(
            new Rule(Pattern.compile("\\bstd\\.time\\.(?:timestamp|milliTimestamp|microTimestamp|nanoTimestamp|Instant|Timer)\\b|\\bClock\\b[\\w.]*\\.now\\b|\\bclock_gettime\\b"),
                    "reads a clock: a replay runs at another time; use ctx.time() and ctx.deltaTime()"),
            new Rule(Pattern.compile("\\bstd\\.crypto\\.random\\b|\\brandomSecure\\b|\\bIo\\.random\\b|\\bio\\.random\\b|\\bgetrandom\\b"),
                    "takes OS randomness: a replay draws other numbers; use ctx.random(), or a generator seeded from it kept in State"),
            new Rule(Pattern.compile("\\bstd\\.(?:fs|net|process\\.getEnv\\w*|posix\\.getenv)\\b|\\bIo\\.Dir\\b|\\bgetenv\\b"),
                    "reads files, the network or the environment: a replay may read something else"));
    /** A declaration of mutable state at file scope: `var x`, `pub var x`, `threadlocal var x`. */
    /** A line's text before a brace that opens a container's body. */
    private static final Pattern CONTAINER = Pattern.compile("\\b(?:struct|enum|union|opaque)\\b[^{]*$");
    private static final Pattern FILE_SCOPE_VAR = Pattern.compile("^\\s*(?:pub\\s+)?(?:threadlocal\\s+)?var\\s+(@\"[^\"]*\"|\\w+)");

    /**
     * Warnings for {@code source} (a .zig file), each at its line and column; none when the file
     * cannot be read (the build reports that).
     */
    public static List<Diagnostic> check(Path source) {
        try {
            return check(source, Files.readString(source, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return List.of();
        }
    }

    static List<Diagnostic> check(Path file, String text) {
        List<Diagnostic> found = new ArrayList<>();
        // Per open brace, whether it opened a container (struct, enum, union, opaque) rather than a block.
        ArrayDeque<Boolean> scopes = new ArrayDeque<>();
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String code = code(lines[n]);
            if (scopes.isEmpty() || scopes.peek()) {
                Matcher v = FILE_SCOPE_VAR.matcher(code);
                if (v.find()) {
                    // The name from the line itself: code() blanks what is inside quotes (a @"name" too), column for column.
                    String name = lines[n].substring(v.start(1), v.end(1));
                    found.add(warning(file, n + 1, v.start(1) + 1, "'" + name + "' is mutable state at file scope:"
                            + " it is neither recorded nor restored by a rewind, and a replay starts it afresh; keep what"
                            + " changes in State", lines[n]));
                }
            }
            for (Rule r : RULES) {
                Matcher m = r.pattern().matcher(code);
                if (m.find()) found.add(warning(file, n + 1, m.start() + 1, "'" + m.group() + "' " + r.what(), lines[n]));
            }
            for (int i = 0; i < code.length(); i++) {
                if (code.charAt(i) == '{') scopes.push(CONTAINER.matcher(code.substring(0, i)).find());
                else if (code.charAt(i) == '}' && !scopes.isEmpty()) scopes.pop();
            }
        }
        return found;
    }

    /** {@code line} with its comment cut off and string and character literals blanked (same length up to the comment). */
    static String code(String line) {
        if (line.stripLeading().startsWith("\\\\")) return ""; // a multiline string literal's line
        StringBuilder out = new StringBuilder(line.length());
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == '\\' && i + 1 < line.length()) {
                    out.append("  ");
                    i++;
                } else if (c == quote) {
                    quote = 0;
                    out.append(c);
                } else {
                    out.append(' ');
                }
                continue;
            }
            if (c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') break;
            if (c == '"' || c == '\'') quote = c;
            out.append(c);
        }
        return out.toString();
    }

    private static Diagnostic warning(Path file, int line, int column, String message, String sourceLine) {
        return new Diagnostic(Diagnostic.Severity.WARNING, file, line, column, "replay: " + message, List.of(sourceLine), List.of());
    }
}
