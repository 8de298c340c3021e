package dev.atelier.transport.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.core.transport.SentMessage;
import dev.atelier.core.transport.SentMessage.TensorBytes;
import dev.atelier.core.transport.WireLedger.PayloadKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's own ledger of everything it sent: one JSON line per {@link SentMessage} in
 * {@value #FILE} in the node's work dir, appended and flushed as each call ends, so a designer
 * (or the Studio) can read what left her machine per round without trusting the coordinator.
 * Heartbeats and pulls are summed into one {@code CONTROL} line per round (written when the next
 * round starts, before each upload's line, and at least every {@link #CONTROL_EVERY}; a node that
 * dies loses at most that much of its heartbeat count, never an upload's line).
 *
 * <p>Bounded: when the file passes {@link #MAX_BYTES} it becomes {@code outbound.1.jsonl}
 * (replacing the previous one) and a new file starts, so at most twice that is kept. A write
 * failure is logged and never stops the node. Thread-safe.
 */
public final class OutboundLedger {
    public static final String FILE = "outbound.jsonl";
    static final String OLD = "outbound.1.jsonl";
    static final long MAX_BYTES = 4L << 20;
    static final Duration CONTROL_EVERY = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger("atelier.node");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final long maxBytes;
    private final NodeListener listener;
    private String controlNode = "";
    private int controlRound;
    private int controlMessages;
    private long controlBytes;
    private long controlSince = System.nanoTime();

    OutboundLedger(Path dir, NodeListener listener) {
        this(dir, listener, MAX_BYTES);
    }

    OutboundLedger(Path dir, NodeListener listener, long maxBytes) {
        this.file = dir.resolve(FILE);
        this.listener = listener;
        this.maxBytes = maxBytes;
    }

    /** Records one sent message (and first the pending control sum, so lines stay in order). */
    synchronized void record(SentMessage m) {
        flushControl();
        write(m);
    }

    /** Adds a heartbeat or pull call to the current round's control sum. */
    synchronized void control(String nodeId, int round, int messages, long bytes) {
        if (round != controlRound) {
            flushControl();
        }
        controlNode = nodeId;
        controlRound = round;
        controlMessages += messages;
        controlBytes += bytes;
        if (System.nanoTime() - controlSince > CONTROL_EVERY.toNanos()) {
            flushControl();
        }
    }

    /** An instruction for {@code round} arrived: the previous round's control sum is complete. */
    synchronized void roundStarted(String nodeId, int round) {
        if (round != controlRound) {
            flushControl();
            controlNode = nodeId;
            controlRound = round;
        }
    }

    private void flushControl() {
        controlSince = System.nanoTime();
        if (controlMessages == 0) {
            return;
        }
        SentMessage m = new SentMessage(
                controlNode,
                controlRound,
                SentMessage.CONTROL_CALLS,
                controlMessages,
                Map.of(PayloadKind.CONTROL, controlBytes),
                List.of(),
                Map.of());
        controlMessages = 0;
        controlBytes = 0;
        write(m);
    }

    private void write(SentMessage m) {
        try {
            Files.createDirectories(file.getParent());
            if (Files.exists(file) && Files.size(file) > maxBytes) {
                Files.move(file, file.resolveSibling(OLD), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.writeString(
                    file,
                    toJson(m) + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not write the outbound ledger {}: {}", file, e.getMessage());
        }
        try {
            listener.onSent(m);
        } catch (RuntimeException e) {
            LOG.warn("node listener failed on a sent message: {}", e.getMessage());
        }
    }

    static String toJson(SentMessage m) {
        ObjectNode o = JSON.createObjectNode();
        o.put("time", Instant.now().toString());
        o.put("node", m.nodeId());
        o.put("round", m.round());
        o.put("call", m.call());
        o.put("messages", m.messages());
        ObjectNode bytes = o.putObject("bytes");
        m.bytes().forEach((k, v) -> bytes.put(k.name(), v));
        var tensors = o.putArray("tensors");
        for (TensorBytes t : m.tensors()) {
            tensors.addObject().put("name", t.name()).put("bytes", t.bytes());
        }
        ObjectNode metrics = o.putObject("metrics");
        m.metrics().forEach(metrics::put);
        return o.toString();
    }

    /** One line read back: when it was written, and what was sent. */
    public record Entry(Instant time, SentMessage message) {}

    /**
     * Reads a node's ledger from its work dir (the rotated file first), oldest first. Lines that do
     * not parse (a line cut by a crash, a foreign edit) are skipped and counted in the log; at most
     * {@code limit} newest entries are returned.
     */
    public static List<Entry> read(Path dir, int limit) throws IOException {
        List<Entry> out = new ArrayList<>();
        int bad = 0;
        for (Path f : List.of(dir.resolve(OLD), dir.resolve(FILE))) {
            if (!Files.isRegularFile(f)) {
                continue;
            }
            try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        out.add(parse(JSON.readTree(line)));
                    } catch (IOException | RuntimeException e) {
                        bad++;
                    }
                }
            }
        }
        if (bad > 0) {
            LOG.warn("skipped {} unreadable lines in the outbound ledger in {}", bad, dir);
        }
        return out.size() <= limit ? out : List.copyOf(out.subList(out.size() - limit, out.size()));
    }

    /** A metric value: a JSON number, or NaN / Infinity / -Infinity as Jackson writes them (strings). */
    private static double number(JsonNode v) throws IOException {
        if (v.isNumber()) {
            return v.asDouble();
        }
        return switch (v.asText()) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> throw new IOException("bad metric value");
        };
    }

    private static Entry parse(JsonNode o) throws IOException {
        Map<PayloadKind, Long> bytes = new EnumMap<>(PayloadKind.class);
        for (var it = o.path("bytes").fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().canConvertToLong()) {
                throw new IOException("bad byte count");
            }
            bytes.put(PayloadKind.valueOf(e.getKey()), e.getValue().asLong());
        }
        List<TensorBytes> tensors = new ArrayList<>();
        for (JsonNode t : o.path("tensors")) {
            tensors.add(new TensorBytes(t.path("name").asText(), t.path("bytes").asLong()));
        }
        Map<String, Double> metrics = new java.util.TreeMap<>();
        for (var it = o.path("metrics").fields(); it.hasNext(); ) {
            var e = it.next();
            metrics.put(e.getKey(), number(e.getValue()));
        }
        JsonNode round = o.path("round");
        JsonNode call = o.path("call");
        if (!round.canConvertToInt() || !call.isTextual()) {
            throw new IOException("missing round or call");
        }
        return new Entry(
                Instant.parse(o.path("time").asText()),
                new SentMessage(
                        o.path("node").asText(),
                        round.asInt(),
                        call.asText(),
                        o.path("messages").asInt(),
                        bytes,
                        tensors,
                        metrics));
    }
}
