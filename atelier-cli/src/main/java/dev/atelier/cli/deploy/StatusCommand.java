package dev.atelier.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.core.message.Failure;
import dev.atelier.core.run.RoundRecord;
import dev.atelier.core.run.RoundRecordCodec;
import dev.atelier.transport.app.RunStatus;
import dev.atelier.transport.app.StatusDocument;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code atelier status}: current run, round, nodes and last round metrics of a running coordinator. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Show a running coordinator's run, round, nodes and last metrics (reads its /status endpoint).")
public final class StatusCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--url",
            defaultValue = "http://127.0.0.1:9464",
            description = "Coordinator metrics endpoint, its metrics_listen (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--json", description = "Print the raw JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String body;
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + "/status"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(
                        "coordinator status endpoint " + url + " answered HTTP " + r.statusCode());
            }
            body = r.body();
        } catch (ConnectException e) {
            throw new IllegalStateException(
                    "coordinator status endpoint " + url + " unreachable — check --url (the coordinator's"
                            + " metrics_listen) and that the coordinator runs");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(body);
            return 0;
        }
        JsonNode s = new ObjectMapper().readTree(body);
        out.printf(
                "run %s  workload %s  strategy %s  %s  round %d/%d%n",
                s.path(StatusDocument.RUN_ID).asText(),
                s.path(StatusDocument.WORKLOAD).asText(),
                s.path(StatusDocument.STRATEGY).asText(),
                RunStatus.parse(s.path(StatusDocument.STATUS).asText()).text(),
                s.path(StatusDocument.CURRENT_ROUND).asInt(),
                s.path(StatusDocument.ROUNDS).asInt());
        out.printf("nodes (%d):%n", s.path(StatusDocument.NODES).size());
        for (JsonNode n : s.path(StatusDocument.NODES)) {
            out.printf(
                    "  %-20s %-6s %-24s last heard %.1f s ago%n",
                    n.path("nodeId").asText(),
                    n.path("alive").asBoolean() ? "alive" : "lost",
                    n.path("address").asText(),
                    n.path("silentSeconds").asDouble());
        }
        JsonNode lastTree = s.path(StatusDocument.LAST_ROUND);
        if (lastTree.isMissingNode()) {
            out.println("no round finished yet");
        } else {
            RoundRecord last = RoundRecordCodec.fromTree(lastTree);
            out.printf(
                    Locale.ROOT,
                    "last round %d: %d of %d replied, %s, %.2f s%n",
                    last.round(),
                    last.replies(),
                    last.sampled(),
                    last.aggregated() ? "aggregated" : "NOT aggregated (model kept)",
                    last.seconds());
            out.println("  fit  " + new TreeMap<>(last.fit()));
            last.privacy().ifPresent(p -> out.println("  privacy " + p.summary()));
            out.println("  eval " + new TreeMap<>(last.eval()));
            last.federatedEval()
                    .ifPresent(fe -> out.printf(
                            Locale.ROOT,
                            "  federated eval %d of %d nodes, %d held-out examples: %s%n",
                            fe.replies(),
                            fe.sampled(),
                            fe.examples(),
                            new TreeMap<>(fe.metrics())));
            for (Failure f : last.failures()) {
                out.printf("  %s %s: %s%n", f.nodeId(), f.kind(), f.reason());
            }
        }
        return 0;
    }
}
