package dev.kiln.embed;

import dev.kiln.engine.Engine;
import dev.kiln.inspector.InspectorServer;
import dev.kiln.inspector.LogRing;
import dev.kiln.reload.HotReloadManager;

/**
 * Starts the inspector. Its own class so that {@link Kiln} never links the inspector's server
 * classes (and through them Javalin, an optional dependency) unless the game turned it on.
 */
final class InspectorHook {
    private InspectorHook() {}

    /** The Javalin version kiln-engine is built and tested with (pom.xml). */
    static final String JAVALIN = "io.javalin:javalin:7.2.3";

    static AutoCloseable start(Engine engine, HotReloadManager reloads, LogRing logs, int port, String[] url)
            throws KilnException {
        try {
            Class.forName("io.javalin.Javalin", false, InspectorHook.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new KilnException("the inspector needs Javalin on the classpath: add the dependency " + JAVALIN
                    + " (and org.slf4j:slf4j-simple for its log) to the game's build, or turn the inspector off", e);
        }
        try {
            InspectorServer server = InspectorServer.start(engine, reloads, logs, port);
            url[0] = server.url();
            return server;
        } catch (InspectorServer.PortUnavailable e) {
            throw new KilnException("the inspector cannot use port " + port + " (" + e.getMessage()
                    + "): pass another port, or 0 for any free one", e);
        }
    }
}
