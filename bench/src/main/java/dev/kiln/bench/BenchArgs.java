package dev.kiln.bench;

import dev.kiln.build.ScriptCompiler;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The `--name value` options of the bench subcommands (reload, fault-frame). */
final class BenchArgs {
    private final Map<String, String> values = new HashMap<>();

    private BenchArgs() {}

    /** Reads `--name value` pairs; -h/--help prints {@code usage} and exits; unknown names are refused. */
    static BenchArgs parse(String[] args, String usage, Set<String> known) {
        BenchArgs parsed = new BenchArgs();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println(usage);
                System.exit(0);
            }
            if (!known.contains(a)) throw new IllegalArgumentException("unknown option " + a);
            if (i + 1 >= args.length) throw new IllegalArgumentException("missing value after " + a);
            parsed.values.put(a, args[++i]);
        }
        return parsed;
    }

    String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback) {
        String v = values.get(name);
        return v == null ? fallback : Integer.parseInt(v);
    }

    long longValue(String name, long fallback) {
        String v = values.get(name);
        return v == null ? fallback : Long.parseLong(v);
    }

    double decimal(String name, double fallback) {
        String v = values.get(name);
        return v == null ? fallback : Double.parseDouble(v);
    }

    ScriptCompiler.Mode mode() {
        return mode(ScriptCompiler.Mode.RELEASE_SAFE);
    }

    ScriptCompiler.Mode mode(ScriptCompiler.Mode fallback) {
        String v = values.get("--mode");
        return v == null ? fallback : ScriptCompiler.Mode.valueOf(v);
    }
}
