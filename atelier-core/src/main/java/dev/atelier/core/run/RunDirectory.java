package dev.atelier.core.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The on-disk record of a run, {@code runs/<run-id>/} (format in docs/formats.md):
 * <ul>
 *   <li>{@code run.json} — config, strategy, seed, versions, start time;</li>
 *   <li>{@code metrics.jsonl} — one {@link RoundRecord} per line in the {@link RoundRecordCodec}
 *       form, appended per round; this class is its only writer and reader;</li>
 *   <li>{@code checkpoints/round-NNNN.safetensors} — global shared parameters after round N,
 *       with {@code round} and {@code run_id} in the safetensors metadata.</li>
 * </ul>
 * Checkpoints are written atomically, so a crash never leaves a half-written one under its name.
 */
public final class RunDirectory {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String METRICS = "metrics.jsonl";
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

    /** The metrics file, {@code metrics.jsonl}: one {@link RoundRecordCodec} line per round. */
    public Path metricsFile() {
        return dir.resolve(METRICS);
    }

    /** Appends one round's record as a JSON line. */
    public void appendMetrics(RoundRecord r) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(
                metricsFile(),
                RoundRecordCodec.toJson(r) + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
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

    /**
     * The newest complete checkpoint, if any: its round and parameters. Unreadable checkpoints
     * are skipped with a warning on the {@code atelier.run} logger; see
     * {@link #latestCheckpoint(Consumer)}.
     */
    public Optional<Map.Entry<Integer, ParamSet>> latestCheckpoint() throws IOException {
        System.Logger log = System.getLogger("atelier.run");
        return latestCheckpoint(w -> log.log(System.Logger.Level.WARNING, w));
    }

    /**
     * The newest complete checkpoint, if any: its round and parameters. A checkpoint that does
     * not parse (e.g. truncated by a full disk or a copy), or whose server-state pair does not,
     * is skipped as a unit, with one {@code warn} line naming the bad file, and the previous
     * round is tried; the skipped round is then re-run and its files overwritten.
     *
     * @throws IOException naming every file to remove (checkpoints and their server-state pairs)
     *                     when checkpoints exist but none is usable; restarting after removing them
     *                     starts the run again from round 1
     */
    public Optional<Map.Entry<Integer, ParamSet>> latestCheckpoint(Consumer<String> warn) throws IOException {
        if (!Files.isDirectory(checkpointDir())) {
            return Optional.empty();
        }
        removeInterruptedWrites(warn);
        List<Path> newestFirst;
        try (Stream<Path> s = Files.list(checkpointDir())) {
            // Numeric order: names are zero-padded to 4 digits only, so round-10000 sorts before round-9999 as text.
            newestFirst = s.filter(p -> p.getFileName().toString().matches("round-\\d{4,}\\.safetensors"))
                    .sorted(Comparator.comparingLong(RunDirectory::roundOf).reversed())
                    .toList();
        }
        List<Path> bad = new ArrayList<>();
        for (Path candidate : newestFirst) {
            int round = (int) roundOf(candidate);
            Path file = candidate;
            try {
                ParamSet params = Safetensors.read(candidate);
                file = serverState(round);
                if (Files.exists(file)) {
                    Safetensors.read(file);
                }
                if (!bad.isEmpty()) {
                    warn.accept("resuming from checkpoint round " + round + " (" + candidate.getFileName()
                            + ") instead of the unreadable newer one");
                }
                return Optional.of(Map.entry(round, params));
            } catch (IOException e) {
                bad.add(candidate);
                if (Files.exists(serverState(round))) {
                    bad.add(serverState(round));
                }
                warn.accept("skipping unreadable checkpoint " + file + " (" + oneLine(e) + ")");
            }
        }
        if (bad.isEmpty()) {
            return Optional.empty();
        }
        throw new IOException("no usable checkpoint in " + checkpointDir() + ": remove "
                + bad.stream().map(Path::toString).collect(Collectors.joining(" "))
                + " to start the run again from round 1");
    }

    /**
     * Deletes the temp files ({@code *.partial}) of checkpoint writes that a crash interrupted
     * before their rename: never valid state (the rename is the commit), but each is as large as a
     * checkpoint, and repeated crashes would fill the disk. Called on resume, before this run writes.
     */
    private void removeInterruptedWrites(Consumer<String> warn) throws IOException {
        List<Path> partial;
        try (Stream<Path> s = Files.list(checkpointDir())) {
            partial = s.filter(p -> p.getFileName().toString().endsWith(".partial"))
                    .toList();
        }
        for (Path p : partial) {
            Files.deleteIfExists(p);
        }
        if (!partial.isEmpty()) {
            warn.accept(
                    "removed " + partial.size() + " unfinished checkpoint write(s) (*.partial) in " + checkpointDir());
        }
    }

    private static String oneLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        return m.replaceAll("[\\r\\n]+", " ");
    }

    private static long roundOf(Path checkpoint) {
        String name = checkpoint.getFileName().toString();
        return Long.parseLong(name.substring(6, name.indexOf('.')));
    }

    /**
     * The rounds recorded in {@code metrics.jsonl}, in file order; empty when there is no file.
     *
     * @throws UncheckedIOException     when the file cannot be read
     * @throws IllegalArgumentException naming the line when one is not a round record (a line
     *                                  torn by a crash is removed by {@link #keepMetricsUpTo} on resume)
     */
    public List<RoundRecord> readMetrics() {
        List<RoundRecord> out = new ArrayList<>();
        List<String> lines = metricsLines();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                out.add(RoundRecordCodec.fromJson(lines.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(metricsFile() + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * What {@link #keepMetricsUpTo} did.
     *
     * @param kept  records left in the file
     * @param later records of later rounds removed (they are re-run)
     * @param torn  lines removed because they are not round records (torn by a crash mid-write)
     */
    public record MetricsTrim(int kept, int later, int torn) {}

    /**
     * Rewrites {@code metrics.jsonl} (atomically) without the records of rounds after
     * {@code round} and without lines that are not round records, so a resumed run appends after
     * its last checkpoint. Leaves the file untouched when there is nothing to remove.
     */
    public MetricsTrim keepMetricsUpTo(int round) throws IOException {
        List<String> keep = new ArrayList<>();
        int later = 0;
        int torn = 0;
        for (String line : metricsLines()) {
            if (line.isBlank()) {
                continue;
            }
            RoundRecord r;
            try {
                r = RoundRecordCodec.fromJson(line);
            } catch (IllegalArgumentException e) {
                torn++;
                continue;
            }
            if (r.round() <= round) {
                keep.add(line);
            } else {
                later++;
            }
        }
        if (later > 0 || torn > 0) {
            Path tmp = dir.resolve(METRICS + ".partial");
            Files.write(tmp, keep, StandardCharsets.UTF_8);
            Files.move(tmp, metricsFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return new MetricsTrim(keep.size(), later, torn);
    }

    private List<String> metricsLines() {
        Path f = metricsFile();
        if (!Files.exists(f)) {
            return List.of();
        }
        try {
            return Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }
}
