package dev.kiln;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.cli.KilnCli;
import dev.kiln.testing.TestEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine;

/**
 * The interfaces the docs show are the ones the code has: the ./kiln commands and the CLI's
 * options, the SDK's `ctx` calls, the inspector's HTTP routes, the embedding API's types.
 */
class DocsInterfacesTest {
    private static final Pattern KILN_COMMAND = Pattern.compile("(?:\\./)?\\bkiln ([a-z][a-z-]*)(?: ([A-Za-z][\\w-]*))?");
    private static final Pattern LONG_OPTION = Pattern.compile("(?<![\\w-])(--[a-z][a-z-]*)");
    /**
     * Long options the docs show for other programs than kiln: Zig's compiler server and format
     * check, the JVM's native access flag.
     */
    private static final Set<String> OTHER_PROGRAMS_OPTIONS = Set.of("--listen", "--check", "--enable-native-access");

    /** Every `ctx.name` a doc shows a script calling is declared by the Zig SDK (zig/sdk/). */
    @Test
    void everyContextCallTheDocsShowIsInTheSdk() throws IOException {
        Set<String> declared = new HashSet<>();
        Pattern declaration = Pattern.compile("pub (?:fn|const|var) (\\w+)|(?m)^\\s+(\\w+):");
        try (Stream<Path> files = Files.walk(TestEngine.home().resolve("zig/sdk"))) {
            DocsText.eachMatch(files.filter(p -> p.toString().endsWith(".zig")), declaration,
                    m -> declared.add(m.group(1) != null ? m.group(1) : m.group(2)));
        }
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (DocsText.Piece code : DocsText.code()) {
            Matcher call = Pattern.compile("\\bctx\\.(\\w+)").matcher(code.text());
            while (call.find()) {
                checked++;
                if (!declared.contains(call.group(1))) problems.add(code.where() + ": ctx." + call.group(1) + " is not in the SDK");
            }
        }
        assertThat(problems).isEmpty();
        assertThat(checked).isGreaterThan(30);
    }

    /** embedding.md's table of the API's types is exactly the public types of dev.kiln.embed. */
    @Test
    void theEmbeddingApiTableListsEveryPublicTypeOfTheEmbedPackage() throws IOException {
        Set<String> publicTypes = new HashSet<>();
        try (Stream<Path> files = Files.list(TestEngine.home().resolve("src/main/java/dev/kiln/embed"))) {
            DocsText.eachMatch(files, Pattern.compile("(?m)^public (?:final |abstract |sealed )*(?:class|interface|record|enum) (\\w+)"),
                    m -> publicTypes.add(m.group(1)));
        }
        Set<String> documented = new HashSet<>();
        String table = DocsText.read("docs/embedding.md").split("\\| Type \\| Job \\|")[1].split("\n\n")[0];
        Matcher row = Pattern.compile("(?m)^\\| ([^|]+) \\|").matcher(table);
        while (row.find()) {
            Matcher type = Pattern.compile("`(\\w+)`").matcher(row.group(1));
            while (type.find()) documented.add(type.group(1));
        }
        assertThat(publicTypes).hasSizeGreaterThan(5);
        assertThat(documented).as("docs/embedding.md's table of types").containsExactlyInAnyOrderElementsOf(publicTypes);
    }

    /** inspector.md's HTTP API table lists exactly the routes the inspector registers. */
    @Test
    void theInspectorsApiTableListsEveryRouteAndNoOther() throws IOException {
        Set<String> registered = new HashSet<>();
        Pattern route = Pattern.compile("\\.(get|post|delete|put|ws)\\(\"(/[^\"]*)\"");
        try (Stream<Path> files = Files.list(TestEngine.home().resolve("src/main/java/dev/kiln/inspector"))) {
            DocsText.eachMatch(files, route, m -> registered.add(m.group(1).toUpperCase(Locale.ROOT) + " " + m.group(2)));
        }
        Set<String> documented = new HashSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `(GET|POST|DELETE|PUT) ([^`?]+)(?:\\?[^`]*)?`").matcher(DocsText.read("docs/inspector.md"));
        while (row.find()) documented.add(row.group(1).equals("GET") && row.group(2).equals("/ws") ? "WS /ws" : row.group(1) + " " + row.group(2));
        assertThat(documented).as("docs/inspector.md's HTTP API table").containsExactlyInAnyOrderElementsOf(registered);
    }

    /**
     * Every `./kiln X` is a command of the ./kiln script (or `kiln X` of the CLI), every option
     * shown with `kiln run` / `./kiln demo` / `kiln replay` / `kiln new` is one that command
     * accepts, every other long option is one of some kiln command (or another program's), and
     * every `./kiln bench NAME` is a bench subcommand or a benchmark class.
     */
    @Test
    void everyKilnCommandAndOptionTheDocsShowIsAccepted() {
        Set<String> scriptCommands = scriptCommands();
        Map<String, Set<String>> cliOptions = cliOptions();
        Set<String> anyOption = new HashSet<>(OTHER_PROGRAMS_OPTIONS);
        cliOptions.values().forEach(anyOption::addAll);
        String benchMain = DocsText.read("bench/src/main/java/dev/kiln/bench/BenchMain.java");
        Set<String> benchClasses = DocsReferencesTest.javaFiles().keySet();
        List<String> problems = new ArrayList<>();
        for (DocsText.Piece code : DocsText.code()) {
            Matcher command = KILN_COMMAND.matcher(code.text());
            Set<String> shownWith = null;
            while (command.find()) {
                String name = command.group(1);
                boolean script = command.group().startsWith("./");
                if (script ? !scriptCommands.contains(name) : !cliOptions.containsKey(name) && !scriptCommands.contains(name)) {
                    problems.add(code.where() + ": `" + command.group() + "` is no kiln command");
                }
                String cli = name.equals("demo") ? "run" : name;
                if (cliOptions.containsKey(cli) && shownWith == null) shownWith = cliOptions.get(cli);
                String arg = command.group(2);
                if (name.equals("bench") && arg != null && !benchMain.contains("\"" + arg + "\"")
                        && benchClasses.stream().noneMatch(c -> c.startsWith(arg) && c.endsWith("Bench"))) {
                    problems.add(code.where() + ": `./kiln bench " + arg + "` is no bench subcommand or benchmark");
                }
            }
            // ./kiln bench and ./kiln compare pass their options to the benchmarks (JMH, the harnesses)
            if (code.text().matches(".*\\bkiln (bench|compare)\\b.*")) continue;
            Matcher option = LONG_OPTION.matcher(code.text());
            while (option.find()) {
                Set<String> accepted = shownWith != null ? shownWith : anyOption;
                if (!accepted.contains(option.group(1))) {
                    problems.add(code.where() + ": " + option.group(1) + " is not an option of "
                            + (shownWith != null ? "the command shown" : "any kiln command"));
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /** The command names of the ./kiln script's case statement ("run|new|replay)" lines). */
    private static Set<String> scriptCommands() {
        Set<String> names = new HashSet<>();
        Matcher m = Pattern.compile("(?m)^  ([a-z|-]+)\\)").matcher(DocsText.read("kiln"));
        while (m.find()) names.addAll(List.of(m.group(1).split("\\|")));
        assertThat(names).contains("run", "test", "demo");
        return names;
    }

    /** Each subcommand of the CLI with every name of every option it accepts. */
    private static Map<String, Set<String>> cliOptions() {
        Map<String, Set<String>> options = new HashMap<>();
        for (Map.Entry<String, CommandLine> sub : new CommandLine(KilnCli.class).getSubcommands().entrySet()) {
            CommandSpec spec = sub.getValue().getCommandSpec();
            Set<String> names = new HashSet<>(spec.optionsMap().keySet());
            spec.options().forEach(o -> {
                for (String n : o.names()) names.add(n.replace("[no-]", ""));
            });
            options.put(sub.getKey(), names);
        }
        assertThat(options).containsKeys("run", "new", "replay");
        return options;
    }
}
