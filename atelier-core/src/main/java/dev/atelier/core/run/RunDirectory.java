package dev.atelier.core.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.atelier.core.message.Failure;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The on-disk record of a run, {@code runs/<run-id>/} (format in docs/formats.md):
 * <ul>
 *   <li>{@code run.json} — config, strategy, seed, versions, start time;</li>
 *   <li>{@code metrics.jsonl} — one {@link RoundRecord} as JSON per line, appended per round;</li>
 *   <li>{@code checkpoints/round-NNNN.safetensors} — global shared parameters after round N,
 *       with {@code round} and {@code run_id} in the safetensors metadata.</li>
 * </ul>
 * Checkpoints are written atomically, so a crash never leaves a half-written one under its name.
 */
public final class RunDirectory {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper JSONL = new ObjectMapper();
    private final Path dir;

    public RunDirectory(Path dir) {
        this.dir = dir;
    }

    public Path path() {
        return dir;
    }

    public Path checkpointDir() {
        return dir.resolve("checkpoints");
    }

    public Path checkpoint(int round) {
        return checkpointDir().resolve(String.format("round-%04d.safetensors", round));
    }

    public void writeRunJson(Map<String, Object> content) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve("run.json.partial");
        JSON.writeValue(tmp.toFile(), content);
        Files.move(
                tmp,
                dir.resolve("run.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Appends one round's record as a JSON line. */
    public void appendMetrics(RoundRecord r) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("round", r.round());
        line.put("sampled", r.sampled());
        line.put("replies", r.replies());
        line.put("aggregated", r.aggregated());
        line.put("fit", new java.util.TreeMap<>(r.fit()));
        line.put("eval", new java.util.TreeMap<>(r.eval()));
        line.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
        line.put("failures", failures(r.failures()));
        line.put("node_waits", r.nodeWaits());
        // null when the round had no federated evaluation phase
        line.put(
                "federated_eval",
                r.federatedEval().map(RunDirectory::federatedEval).orElse(null));
        Files.writeString(
                dir.resolve("metrics.jsonl"),
                JSONL.writeValueAsString(line) + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static List<Map<String, String>> failures(List<Failure> failures) {
        return failures.stream()
                .map(f -> Map.of("node", f.nodeId(), "kind", f.kind().name(), "reason", f.reason()))
                .toList();
    }

    private static Map<String, Object> federatedEval(FederatedEvaluation fe) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sampled", fe.sampled());
        m.put("replies", fe.replies());
        m.put("examples", fe.examples());
        m.put("metrics", new java.util.TreeMap<>(fe.metrics()));
        m.put("failures", failures(fe.failures()));
        return m;
    }

    public void writeCheckpoint(String runId, int round, ParamSet params) throws IOException {
        writeCheckpoint(runId, round, params, ParamSet.empty());
    }

    /**
     * Writes the round's global model and, when not empty, the strategy's server state
     * ({@code round-NNNN.server.safetensors}). The state goes first: a global checkpoint on disk
     * always has its state beside it, even after a crash between the two writes.
     */
    public void writeCheckpoint(String runId, int round, ParamSet params, ParamSet serverState) throws IOException {
        Map<String, String> meta =
                Map.of("run_id", runId, "round", Integer.toString(round), "format", "atelier-checkpoint-v1");
        if (!serverState.isEmpty()) {
            Safetensors.write(serverState, meta, serverState(round));
        }
        Safetensors.write(params, meta, checkpoint(round));
    }

    /** Path of the strategy's server state saved with the checkpoint of {@code round}. */
    public Path serverState(int round) {
        return checkpointDir().resolve(String.format("round-%04d.server.safetensors", round));
    }

    /** The strategy's server state saved with the checkpoint of {@code round}, if any. */
    public Optional<ParamSet> readServerState(int round) throws IOException {
        Path f = serverState(round);
        return Files.isRegularFile(f) ? Optional.of(Safetensors.read(f)) : Optional.empty();
    }

    /** The newest complete checkpoint, if any: its round and parameters. */
    public Optional<Map.Entry<Integer, ParamSet>> latestCheckpoint() throws IOException {
        if (!Files.isDirectory(checkpointDir())) {
            return Optional.empty();
        }
        Optional<Path> last;
        try (Stream<Path> s = Files.list(checkpointDir())) {
            // Numeric order: names are zero-padded to 4 digits only, so round-10000 sorts before round-9999 as text.
            last = s.filter(p -> p.getFileName().toString().matches("round-\\d{4,}\\.safetensors"))
                    .max(java.util.Comparator.comparingLong(RunDirectory::roundOf));
        }
        if (last.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Map.entry((int) roundOf(last.get()), Safetensors.read(last.get())));
    }

    private static long roundOf(Path checkpoint) {
        String name = checkpoint.getFileName().toString();
        return Long.parseLong(name.substring(6, name.indexOf('.')));
    }

    /** Parsed metrics lines, in order. */
    public List<Map<String, Object>> readMetrics() {
        Path f = dir.resolve("metrics.jsonl");
        if (!Files.exists(f)) {
            return List.of();
        }
        try {
            return Files.readAllLines(f).stream()
                    .filter(l -> !l.isBlank())
                    .map(RunDirectory::parseLine)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parseLine(String line) {
        try {
            return JSONL.readValue(line, Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt metrics.jsonl line: " + line, e);
        }
    }
}
