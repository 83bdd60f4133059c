package dev.kiln.scene;

import dev.kiln.abi.LibraryLoadException;
import dev.kiln.build.BuildResult;
import dev.kiln.build.Diagnostic;
import dev.kiln.build.ScriptBuildException;
import dev.kiln.build.ScriptCompiler;
import dev.kiln.script.ScriptLibrary;
import dev.kiln.script.ScriptRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds and loads a scene's scripts, all or nothing: every script is built first and every
 * build failure is reported (with the compiler's file:line:col diagnostics); only when all
 * built are they loaded, and a load failure unloads the ones loaded before it.
 */
final class SceneScripts {
    private SceneScripts() {}

    static List<ScriptLibrary> buildAndLoad(ScriptCompiler compiler, ScriptRuntime runtime, Scene scene)
            throws SceneException {
        return buildAndLoad(compiler, runtime, scene, Map.of());
    }

    /**
     * As above, but a script named in {@code prebuilt} is not built: that library file is loaded
     * (a replay's recorded library versions, which the sources on disk may no longer produce).
     */
    static List<ScriptLibrary> buildAndLoad(ScriptCompiler compiler, ScriptRuntime runtime, Scene scene,
                                            Map<String, Path> prebuilt) throws SceneException {
        List<ScriptLibrary> loaded = loadAll(runtime, buildAll(compiler, runtime, scene, prebuilt));
        for (Scene.ScriptSource s : scene.scripts().values()) {
            Long quota = s.requestQuota() != null ? s.requestQuota() : scene.settings().requestQuota();
            if (quota != null) runtime.setRequestQuota(s.name(), quota);
            if (s.memoryBudget() != null) runtime.setMemoryBudget(s.name(), s.memoryBudget());
        }
        return loaded;
    }

    /** A library to load and the source it was built from. */
    private record Built(Path library, Path source) {}

    private static Map<Scene.ScriptSource, Built> buildAll(ScriptCompiler compiler, ScriptRuntime runtime, Scene scene,
                                                           Map<String, Path> prebuilt) throws SceneException {
        Map<Scene.ScriptSource, Built> built = new LinkedHashMap<>();
        List<SceneException.Problem> failures = new ArrayList<>();
        List<BuildResult> failed = new ArrayList<>();
        for (Scene.ScriptSource s : scene.scripts().values()) {
            Path library = prebuilt.get(s.name());
            if (library != null) {
                built.put(s, new Built(library, s.source()));
                continue;
            }
            // Engine.loadScript dispatches the same way; here building and loading are separate steps.
            boolean c = s.source().toString().endsWith(".c");
            BuildResult r = c ? compiler.buildC(s.source()) : compiler.build(s.source());
            if (r.ok()) {
                runtime.logBuildWarnings(r);
                built.put(s, new Built(r.library(), r.source()));
            } else {
                failures.add(new SceneException.Problem(s.declaredAt(), "script '" + s.name()
                        + "' does not compile:\n" + diagnostics(r)));
                failed.add(r);
            }
        }
        if (!failures.isEmpty()) {
            SceneException e = new SceneException(failures);
            // The build results stay reachable for tools (an editor's problem list).
            for (BuildResult r : failed) e.addSuppressed(new ScriptBuildException(r));
            throw e;
        }
        return built;
    }

    /** The compiler's errors, each with its source line and caret, indented under the problem. */
    private static String diagnostics(BuildResult r) {
        if (r.errors().isEmpty()) return indent(r.compilerOutput().strip());
        StringBuilder out = new StringBuilder();
        for (Diagnostic d : r.errors()) {
            if (!out.isEmpty()) out.append('\n');
            out.append(indent(d.toString()));
            for (String line : d.sourceLines()) out.append('\n').append(indent(line));
            for (Diagnostic note : d.notes()) out.append('\n').append(indent(note.toString()));
        }
        return out.toString();
    }

    private static String indent(String text) {
        return text.lines().map(l -> "    " + l).reduce((a, b) -> a + "\n" + b).orElse("");
    }

    private static List<ScriptLibrary> loadAll(ScriptRuntime runtime, Map<Scene.ScriptSource, Built> built)
            throws SceneException {
        List<ScriptLibrary> loaded = new ArrayList<>();
        for (var e : built.entrySet()) {
            Scene.ScriptSource s = e.getKey();
            ScriptLibrary library;
            try {
                library = runtime.load(e.getValue().library(), e.getValue().source(), s.isolated());
            } catch (LibraryLoadException ex) {
                unloadAll(runtime, loaded);
                throw new SceneException(s.declaredAt(), "script '" + s.name() + "' cannot be loaded: "
                        + ex.getMessage());
            }
            loaded.add(library);
            if (!library.name().equals(s.name())) {
                unloadAll(runtime, loaded);
                throw new SceneException(s.declaredAt(), "script '" + s.name() + "' calls itself '"
                        + library.name() + "' (its `pub const name`); a script's key in \"scripts\""
                        + " must be its name");
            }
        }
        return List.copyOf(loaded);
    }

    static void unloadAll(ScriptRuntime runtime, List<ScriptLibrary> libraries) {
        for (ScriptLibrary l : libraries.reversed()) runtime.unload(l);
    }
}
