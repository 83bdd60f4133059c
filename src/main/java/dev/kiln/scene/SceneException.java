package dev.kiln.scene;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A scene that cannot be loaded, with every problem found (at least one), each located in
 * the scene file. The message reads like a compiler's, one problem per entry:
 * {@code demo/scene.json:14:18: entities[2].scripts[0].phase: unknown phase 'updte' (...)}.
 * The accessors describe the first problem.
 */
public final class SceneException extends Exception {

    /** One problem: where it is and what is wrong (may span lines, e.g. compiler output). */
    public record Problem(SceneLocation at, String reason) {
        public String format() {
            return at.format() + ": " + reason;
        }
    }

    private final transient List<Problem> problems;

    public SceneException(SceneLocation at, String reason) {
        this(List.of(new Problem(at, reason)));
    }

    public SceneException(List<Problem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    private static String describe(List<Problem> problems) {
        if (problems.isEmpty()) throw new IllegalArgumentException("a SceneException needs a problem");
        return problems.stream().map(Problem::format).collect(Collectors.joining("\n"));
    }

    public List<Problem> problems() {
        return problems;
    }

    public Path file() {
        return problems.getFirst().at().file();
    }

    public int line() {
        return problems.getFirst().at().line();
    }

    public int column() {
        return problems.getFirst().at().column();
    }

    /** Field path of the first problem, like {@code entities[2].scripts[0].phase}. */
    public String field() {
        return problems.getFirst().at().field();
    }

    /** What is wrong, without the location. */
    public String reason() {
        return problems.getFirst().reason();
    }
}
