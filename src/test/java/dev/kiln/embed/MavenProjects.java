package dev.kiln.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.build.KilnHome;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * For the tests that build separate Maven projects against the engine (the guide's program,
 * examples/arena): installs kiln-engine once per test JVM into this checkout's own local
 * repository, and runs commands with a time limit.
 *
 * <p>The local repository is {@link #LOCAL_REPOSITORY} under the checkout's target/: an overlay
 * of the user's ~/.m2/repository (every group linked, so nothing is downloaded twice) except
 * dev/kiln, which is the checkout's own. Installing into the shared ~/.m2 let two checkouts
 * tested at once replace each other's kiln-engine jar under a running test (a class missing
 * from the jar a JVM had opened).
 */
final class MavenProjects {
    private MavenProjects() {}

    /** A cached install is ~20 s, a first one (plugins downloaded) a few minutes. */
    static final long INSTALL_MINUTES = 8;
    /** Compiling a small project and resolving its classpath (a first run downloads them). */
    static final long BUILD_MINUTES = 5;
    /** The checkout's local repository, under its target/ folder. */
    static final String LOCAL_REPOSITORY = "m2-repository";
    /** The group folder holding kiln-engine, which the overlay does not link. */
    private static final String KILN_GROUP = "kiln";
    private static boolean installed;

    /** mvn install of what the outer build compiled (no recompiling under a running test). */
    static synchronized void installEngine() throws Exception {
        if (installed) return;
        Path home = KilnHome.locate();
        run(home, INSTALL_MINUTES, "mvn", "-q", "-B", "-Dstyle.color=never", "-f", home.resolve("pom.xml").toString(),
                repositoryOption(), "-Dmaven.main.skip=true", "-Dmaven.test.skip=true", "-Dkiln.home=" + home, "install");
        installed = true;
    }

    /**
     * {@code -Dmaven.repo.local=} this checkout's overlay, made first: each entry of
     * ~/.m2/repository linked, but dev/ a folder of its own whose entries are linked except
     * kiln/, where this checkout installs.
     */
    static synchronized String repositoryOption() throws IOException {
        Path shared = Path.of(System.getProperty("user.home"), ".m2", "repository");
        Path overlay = KilnHome.locate().resolve("target").resolve(LOCAL_REPOSITORY);
        Files.createDirectories(shared.resolve("dev"));
        Files.createDirectories(overlay.resolve("dev").resolve(KILN_GROUP));
        linkEntries(shared, overlay, "dev");
        linkEntries(shared.resolve("dev"), overlay.resolve("dev"), KILN_GROUP);
        return "-Dmaven.repo.local=" + overlay;
    }

    /** Links every entry of {@code from} into {@code to} that is not there yet, except {@code except}. */
    private static void linkEntries(Path from, Path to, String except) throws IOException {
        try (Stream<Path> entries = Files.list(from)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                Path link = to.resolve(entry.getFileName().toString());
                if (entry.getFileName().toString().equals(except) || Files.exists(link, LinkOption.NOFOLLOW_LINKS)) continue;
                Files.createSymbolicLink(link, entry);
            }
        }
    }

    /** Compiles the project in {@code dir}; returns its runtime classpath (target/classes first). */
    static String compile(Path dir) throws Exception {
        run(dir, BUILD_MINUTES, "mvn", "-q", "-B", "-Dstyle.color=never", repositoryOption(), "compile",
                "dependency:build-classpath", "-Dmdep.outputFile=target/classpath.txt");
        return dir.resolve("target/classes") + File.pathSeparator
                + Files.readString(dir.resolve("target/classpath.txt")).strip();
    }

    /** The running JVM's java, to run a project with. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs a command in {@code dir}; its output (stdout and stderr), or an assertion error showing it. */
    static String run(Path dir, long minutes, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true);
        Path log = Files.createTempFile("kiln-project", ".log");
        pb.redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().merge("MAVEN_OPTS", "--sun-misc-unsafe-memory-access=allow", (a, b) -> a + " " + b);
        Process p = pb.start();
        boolean done = p.waitFor(minutes, TimeUnit.MINUTES);
        if (!done) p.destroyForcibly().waitFor();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        assertThat(done).as("%s did not finish in %d min:%n%s", String.join(" ", command), minutes, out).isTrue();
        assertThat(p.exitValue()).as("%s failed:%n%s", String.join(" ", command), out).isZero();
        return out;
    }
}
