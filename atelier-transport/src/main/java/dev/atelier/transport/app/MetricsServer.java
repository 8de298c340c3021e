package dev.atelier.transport.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * HTTP endpoints of the coordinator (JDK http server): {@code GET /metrics} (Prometheus text),
 * {@code GET /status} (JSON read by {@code atelier status}) and {@code GET /healthz} (200 {@code ok},
 * or 503 with the reason when the round loop is stuck, {@link RoundWatchdog}). Bind it to
 * loopback or a monitoring network; it has no authentication. Thread-safe.
 */
public final class MetricsServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;

    /**
     * @param unhealthy why {@code /healthz} answers 503, or empty for 200 {@code ok}
     */
    public MetricsServer(
            String host,
            int port,
            CoordinatorMetrics metrics,
            Supplier<Map<String, Object>> status,
            Supplier<Optional<String>> unhealthy)
            throws IOException {
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new IOException(
                    "cannot open the metrics endpoint on " + host + ":" + port + ": " + e.getMessage()
                            + " — set metrics_listen to a free port or 'off'",
                    e);
        }
        server.createContext("/metrics", ex -> reply(ex, "text/plain; version=0.0.4; charset=utf-8", metrics.render()));
        server.createContext(
                "/status",
                ex -> reply(
                        ex,
                        "application/json",
                        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(status.get())));
        server.createContext("/healthz", ex -> {
            Optional<String> why = unhealthy.get();
            reply(
                    ex,
                    why.isPresent() ? 503 : 200,
                    "text/plain",
                    why.map(w -> "unhealthy: " + w + "\n").orElse("ok\n"));
        });
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "atelier-metrics-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void reply(HttpExchange ex, String type, String body) throws IOException {
        reply(ex, 200, type, body);
    }

    private static void reply(HttpExchange ex, int code, String type, String body) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(code, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
