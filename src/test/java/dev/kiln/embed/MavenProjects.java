package dev.kiln.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.build.KilnHome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * For the tests that build separate Maven projects against the engine (the guide's program,
 * examples/arena): installs kiln-engine into the local repository once per test JVM, and runs
 * commands with a time limit.
 */
final class MavenProjects {
    private MavenProjects() {}

    /** A cached install is ~20 s, a first one (plugins downloaded) a few minutes. */
    static final long INSTALL_MINUTES = 8;
    /** Compiling a small project and resolving its classpath (a first run downloads them). */
    static final long BUILD_MINUTES = 5;
    private static boolean installed;

    /** mvn install of what the outer build compiled (no recompiling under a running test). */
    static synchronized void installEngine() throws Exception {
        if (installed) return;
        Path home = KilnHome.locate();
        run(home, INSTALL_MINUTES, "mvn", "-q", "-B", "-Dstyle.color=never", "-f", home.resolve("pom.xml").toString(),
                "-Dmaven.main.skip=true", "-Dmaven.test.skip=true", "-Dkiln.home=" + home, "install");
        installed = true;
    }

    /** Compiles the project in {@code dir}; returns its runtime classpath (target/classes first). */
    static String compile(Path dir) throws Exception {
        run(dir, BUILD_MINUTES, "mvn", "-q", "-B", "-Dstyle.color=never", "compile",
                "dependency:build-classpath", "-Dmdep.outputFile=target/classpath.txt");
        return dir.resolve("target/classes") + java.io.File.pathSeparator
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
