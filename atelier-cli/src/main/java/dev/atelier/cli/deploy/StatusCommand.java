package dev.atelier.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
                "run %s  workload %s  strategy %s  round %d/%d%n",
                s.path("run_id").asText(),
                s.path("workload").asText(),
                s.path("strategy").asText(),
                s.path("current_round").asInt(),
                s.path("rounds").asInt());
        out.printf("nodes (%d):%n", s.path("nodes").size());
        for (JsonNode n : s.path("nodes")) {
            out.printf(
                    "  %-20s %-6s %-24s last heard %.1f s ago%n",
                    n.path("nodeId").asText(),
                    n.path("alive").asBoolean() ? "alive" : "lost",
                    n.path("address").asText(),
                    n.path("silentSeconds").asDouble());
        }
        JsonNode last = s.path("last_round");
        if (last.isMissingNode()) {
            out.println("no round finished yet");
        } else {
            out.printf(
                    "last round %d: %d of %d replied, %s, %.2f s%n",
                    last.path("round").asInt(),
                    last.path("replies").asInt(),
                    last.path("sampled").asInt(),
                    last.path("aggregated").asBoolean() ? "aggregated" : "NOT aggregated (model kept)",
                    last.path("seconds").asDouble());
            out.println("  fit  " + last.path("fit"));
            out.println("  eval " + last.path("eval"));
            JsonNode fe = last.path("federated_eval");
            if (!fe.isMissingNode() && !fe.isNull()) {
                out.printf(
                        "  federated eval %d of %d nodes, %d held-out examples: %s%n",
                        fe.path("replies").asInt(),
                        fe.path("sampled").asInt(),
                        fe.path("examples").asLong(),
                        fe.path("metrics"));
            }
            for (JsonNode f : last.path("failures")) {
                out.printf(
                        "  %s %s: %s%n",
                        f.path("node").asText(),
                        f.path("kind").asText(),
                        f.path("reason").asText());
            }
        }
        return 0;
    }
}
