package dev.kiln.inspector;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The front end shipped in the jar (plain HTML/CSS/JS under /inspector/). A fixed list of
 * files, read from the classpath: no request can name a file path. The page gets this run's
 * token written into it, so its own asset, API and WebSocket requests carry it.
 */
final class StaticAssets {
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/app.js", "app.js",
            "/timeline.js", "timeline.js",
            "/app.css", "app.css");

    private final RequestGuard guard;

    StaticAssets(RequestGuard guard) {
        this.guard = guard;
    }

    void register(RoutesConfig routes) {
        for (Map.Entry<String, String> e : FILES.entrySet()) routes.get(e.getKey(), ctx -> serve(ctx, e.getValue()));
    }

    private void serve(Context ctx, String file) throws IOException {
        String text;
        try (InputStream in = StaticAssets.class.getResourceAsStream("/inspector/" + file)) {
            if (in == null) throw new IOException("inspector asset " + file + " is missing from the jar");
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String type = file.endsWith(".js") ? "text/javascript" : file.endsWith(".css") ? "text/css" : "text/html";
        ctx.header("Cache-Control", "no-store").header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'self'; connect-src 'self' ws://127.0.0.1:* ws://localhost:*")
                .contentType(type + "; charset=utf-8").result(text.replace("__KILN_TOKEN__", guard.token()));
    }
}
