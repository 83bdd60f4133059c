package dev.kiln.bench;

import dev.kiln.build.KilnHome;
import dev.kiln.ecs.Quat;
import dev.kiln.ecs.VarValue;
import dev.kiln.ecs.Vec3;
import dev.kiln.engine.Engine;
import dev.kiln.engine.EngineOptions;
import dev.kiln.inspector.InspectorServer;
import dev.kiln.inspector.LogRing;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the inspector costs the frame loop: frame time of 10,000 scripted entities with the
 * inspector off, on with no page, and on with a connected page (a WebSocket client receiving
 * every push and watching one entity). Run: ./kiln bench inspector-cost
 */
public final class InspectorCostBench {
    private static final int ENTITIES = 10_000;
    private static final int WARMUP_FRAMES = 2_000;
    private static final int MEASURED_FRAMES = 3_000;

    private InspectorCostBench() {}

    public static void main(String[] args) throws Exception {
        Path buildDir = KilnHome.locate().resolve("target/kiln-bench-build");
        EngineOptions options = EngineOptions.defaults().withBuildDir(buildDir).withLog(e -> {});
        try (Engine engine = new Engine(options)) {
            engine.loadScript(KilnHome.locate().resolve("zig/examples/mover.zig"));
            for (int i = 0; i < ENTITIES; i++) {
                long e = engine.world().spawn(new Vec3(i % 100, 0, i / 100f), Quat.IDENTITY, Vec3.ONE);
                engine.world().setName(e, "e" + i);
                engine.world().setVar(e, "speed", new VarValue.F64(1 + i % 3));
                engine.scripts().attach(e, "mover", 0, null);
            }
            run(engine, WARMUP_FRAMES);
            report("inspector off", run(engine, MEASURED_FRAMES));
            try (InspectorServer inspector = InspectorServer.start(engine, null, new LogRing(e -> {}), 0)) {
                run(engine, WARMUP_FRAMES / 2);
                report("inspector on, no page", run(engine, MEASURED_FRAMES));
                AtomicLong received = new AtomicLong();
                WebSocket page = connect(inspector, received);
                page.sendText("{\"watch\": " + engine.world().findByName("e0") + "}", true).join();
                run(engine, WARMUP_FRAMES / 2);
                long before = received.get();
                report("inspector on, page connected", run(engine, MEASURED_FRAMES));
                System.out.printf(Locale.ROOT, "  (the page received %d pushes while measured)%n", received.get() - before);
                page.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
            }
        }
    }

    private static WebSocket connect(InspectorServer inspector, AtomicLong received) {
        String base = "127.0.0.1:" + inspector.port();
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Origin", "http://" + base)
                .buildAsync(URI.create("ws://" + base + "/ws?token=" + inspector.token()), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        if (last) received.incrementAndGet();
                        ws.request(1);
                        return null;
                    }
                }).join();
    }

    /** Frame times in nanoseconds, paced at 60 Hz like a real-time run (the inspector pushes on its own clock). */
    private static long[] run(Engine engine, int frames) throws InterruptedException {
        long[] nanos = new long[frames];
        long next = System.nanoTime();
        for (int i = 0; i < frames; i++) {
            long start = System.nanoTime();
            engine.step(1 / 60.0);
            nanos[i] = System.nanoTime() - start;
            next += 16_666_667L / 4; // 4x real time: enough idle for the server threads, shorter runs
            long sleep = next - System.nanoTime();
            if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        }
        return nanos;
    }

    private static void report(String label, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double avg = Arrays.stream(nanos).average().orElse(0) / 1e6;
        System.out.printf(Locale.ROOT, "%-30s avg %.3f ms  p50 %.3f ms  p99 %.3f ms  max %.3f ms  (%d frames, %d entities)%n",
                label, avg, sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6,
                sorted[sorted.length - 1] / 1e6, nanos.length, ENTITIES);
    }
}
