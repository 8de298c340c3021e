package dev.atelier.zo.firstorder;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.core.util.FileTrees;
import dev.atelier.core.util.ShippedFiles;
import dev.atelier.zo.data.PretrainText;
import dev.atelier.zo.model.Family;
import dev.atelier.zo.model.LmTokenizer;
import dev.atelier.zo.model.RandomCheckpoint;
import dev.atelier.zo.task.Category;
import dev.atelier.zo.task.GarmentItems;
import dev.atelier.zo.task.GarmentTask;
import dev.atelier.zo.task.Prompt;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The small base LM this machine pretrains for the ZO workload, since it has no pretrained LM and
 * no internet: a GPT-2 ({@link Settings}) trained first-order (DJL autograd, Adam) on WordNet
 * definitions in the task's row format ({@link PretrainText}, {@link Prompt}) with every text and
 * headword of the garment task left out. Saved as a Hugging Face folder (config.json,
 * model.safetensors with GPT-2 tensor names, a word-level tokenizer.json, and pretrain.json with
 * the settings and measured time) that {@code CausalLm.load} and {@code LmTokenizer.find} read.
 * Cached under {@code <cache>/base-lm-<key>}, where the key hashes {@link #FORMAT}, the settings
 * and the sizes of the data files, so a changed setting or data package pretrains again; the
 * folder appears atomically (built beside it, then moved). Stateless.
 */
public final class BaseLm {
    /** Bump when the corpus, vocabulary or model code changes so stale caches are not loaded. */
    public static final int FORMAT = 4;

    private static final ObjectMapper JSON = new ObjectMapper();

    private BaseLm() {}

    /**
     * Model sizes, the Adam run (linear warm-up over {@code warmup} steps to {@code lr}, cosine to
     * lr/10) and the data mix: with {@code hypernyms}, each noun also gives a row answered by its
     * hypernym's word, besides the row answered by its own word. The loss is every token of the
     * row (definition and answer).
     */
    public record Settings(
            int vocab,
            int hidden,
            int layers,
            int heads,
            int inner,
            int maxPositions,
            int steps,
            int batchSize,
            float lr,
            int warmup,
            boolean hypernyms,
            long seed) {
        /** The default: ~0.9 M parameters; docs/zo.md "Base LM" has its training time and the alternatives measured. */
        public static final Settings DEFAULT = new Settings(4096, 128, 2, 4, 512, 64, 4000, 16, 6e-3f, 200, true, 1);

        RandomCheckpoint.Spec spec() {
            return new RandomCheckpoint.Spec(vocab, hidden, layers, heads, heads, hidden / heads, inner, maxPositions);
        }

        /** The same with {@code n} Adam steps (and the warm-up, when it would not fit, cut to n/10). */
        public Settings withSteps(int n) {
            return new Settings(
                    vocab,
                    hidden,
                    layers,
                    heads,
                    inner,
                    maxPositions,
                    n,
                    batchSize,
                    lr,
                    warmup < n ? warmup : n / 10,
                    hypernyms,
                    seed);
        }
    }

    /** The folder, whether it came from the cache, and (when trained now) the training time and final loss. */
    public record Built(Path dir, boolean cached, double trainSeconds, double finalLoss, int rows) {}

    /** {@code ~/.atelier/cache/zo}. */
    public static Path defaultCacheDir() {
        return Path.of(System.getProperty("user.home"), ".atelier", "cache", "zo");
    }

    /** {@link #getOrPretrain(Path, Path, Settings, Path, PrintStream, boolean)} using a shipped copy when there is one. */
    public static Built getOrPretrain(Path wordnetDir, Path gcideDir, Settings s, Path cacheDir, PrintStream log)
            throws IOException {
        return getOrPretrain(wordnetDir, gcideDir, s, cacheDir, log, true);
    }

    /**
     * The base LM for these settings and data files: from the cache, else (with {@code useShipped})
     * from the copy Atelier ships for them ({@link #SHIPPED}), else pretrained now.
     */
    public static Built getOrPretrain(
            Path wordnetDir, Path gcideDir, Settings s, Path cacheDir, PrintStream log, boolean useShipped)
            throws IOException {
        String name = "base-lm-" + key(wordnetDir, gcideDir, s);
        Path dir = cacheDir.resolve(name);
        if (!complete(dir) && useShipped && installShipped(name, cacheDir, dir)) {
            log.println("zo: base LM " + name + " installed into " + dir
                    + " from the copy shipped with Atelier (same settings and data; its pretrain.json tells where"
                    + " it was trained; `atelier zo pretrain --no-shipped` trains one here instead)");
        }
        if (complete(dir)) {
            var info = JSON.readTree(dir.resolve("pretrain.json").toFile());
            return new Built(
                    dir,
                    true,
                    info.path("train_seconds").asDouble(),
                    info.path("final_loss").asDouble(),
                    info.path("rows").asInt());
        }
        log.println("zo: pretraining the base LM into " + dir + " (first use; cached afterwards)");
        GarmentItems.Result task = GarmentTask.load(wordnetDir, gcideDir).items();
        PretrainText.Corpus corpus = PretrainText.wordnet(
                wordnetDir, task.synsets(), task.headwords(), task.texts(), GarmentItems::normalise);
        Path tmp = Files.createTempDirectory(Files.createDirectories(cacheDir), "base-lm-tmp-");
        List<String> labelWords =
                Arrays.stream(Category.values()).map(Category::labelWord).toList();
        List<String> vocab = WordVocab.build(
                corpus.entries().stream()
                        .map(e -> Prompt.row(e.definition(), e.lemmas().getFirst()))
                        .toList(),
                labelWords,
                s.vocab());
        WordVocab.write(tmp, vocab);
        List<Row> rows = rows(corpus.entries(), java.util.Set.copyOf(vocab), s.hypernyms());
        log.printf(
                Locale.ROOT,
                "zo: %d pretraining rows from %d WordNet synsets (%d left out: task texts and headwords)%n",
                rows.size(),
                corpus.entries().size(),
                corpus.excluded());
        List<AdamTrainer.Example> data = new ArrayList<>();
        try (LmTokenizer tok = LmTokenizer.find(tmp).orElseThrow()) {
            for (Row row : rows) {
                int[] ids = tok.encode(row.text());
                if (ids.length > s.maxPositions()) {
                    ids = Arrays.copyOfRange(ids, ids.length - s.maxPositions(), ids.length);
                }
                if (ids.length >= 2) {
                    data.add(new AdamTrainer.Example(ids, 1));
                }
            }
        }
        ObjectNode config = RandomCheckpoint.config(Family.GPT2, s.spec(), true);
        config.put("bos_token_id", 2).put("pad_token_id", WordVocab.PAD_ID);
        var shapes = RandomCheckpoint.shapes(Family.GPT2, s.spec(), true);
        var init = RandomCheckpoint.random(shapes, s.seed(), 0.02);
        double loss;
        long t0 = System.nanoTime();
        // with one torch thread the kernels run on this thread, so its CPU time is the training's
        // cost independent of how loaded the machine is
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        java.util.Map<String, float[]> trained;
        try (NDManager m = NDManager.newBaseManager()) {
            DjlGpt2 model = new DjlGpt2(dev.atelier.zo.model.HfConfigReader.parse(config), shapes, init, m);
            int every = Math.max(1, s.steps() / 20);
            loss = AdamTrainer.train(
                    model,
                    m,
                    data,
                    new AdamTrainer.Settings(s.steps(), s.batchSize(), s.lr(), s.lr() / 10, s.warmup(), s.seed()),
                    (done, total, l, sec) -> {
                        if (done % every == 0 || done == total) {
                            log.printf(
                                    Locale.ROOT,
                                    "zo: pretrain step %d/%d loss %.3f  %.0fs elapsed, ETA %.0fs%n",
                                    done,
                                    total,
                                    l,
                                    sec,
                                    sec / done * (total - done));
                        }
                    });
            trained = model.export();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        log.printf(
                Locale.ROOT,
                "zo: pretrained in %.0f s (%.0f s CPU on the training thread), final loss %.3f%n",
                seconds,
                cpuSeconds,
                loss);
        RandomCheckpoint.write(tmp, config, shapes, trained);
        ObjectNode info = JSON.createObjectNode();
        info.put("format", FORMAT).put("settings", s.toString()).put("rows", data.size());
        info.put("train_seconds", seconds)
                .put("train_thread_cpu_seconds", cpuSeconds)
                .put("final_loss", loss);
        info.put(
                "corpus",
                "WordNet 3.x definitions (wordnet-base) minus the garment task's texts and headwords, each answered by"
                        + " its first in-vocabulary lemma"
                        + (s.hypernyms() ? " and (nouns) by its hypernym's first in-vocabulary lemma" : ""));
        Files.writeString(tmp.resolve("pretrain.json"), info.toPrettyString());
        publish(tmp, dir);
        return new Built(dir, false, seconds, loss, data.size());
    }

    /** Moves the finished folder {@code tmp} to {@code dir} atomically; a complete {@code dir} another process published first is kept. */
    private static void publish(Path tmp, Path dir) throws IOException {
        try {
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!complete(dir)) {
                throw e;
            }
            // another process finished the same folder first: use it
        }
    }

    /**
     * The pretraining rows ({@link Prompt#row}): a definition answered by the first of its lemmas
     * the vocabulary spells without {@value WordVocab#UNK}, and with {@code hypernyms} a second row
     * answered likewise by its hypernym's lemmas. A definition with no spellable answer gives no
     * row: a row ending in {@value WordVocab#UNK} (4 of 5 synsets at 4096 words) teaches the answer
     * position to ignore the definition, which is what the 2-block model learnt before FORMAT 4.
     */
    static List<Row> rows(List<PretrainText.Entry> entries, java.util.Set<String> vocab, boolean hypernyms) {
        List<Row> rows = new ArrayList<>();
        for (PretrainText.Entry e : entries) {
            spellable(e.lemmas(), vocab).ifPresent(w -> rows.add(new Row(e.definition(), w)));
            if (hypernyms) {
                spellable(e.hypernymLemmas(), vocab).ifPresent(w -> rows.add(new Row(e.definition(), w)));
            }
        }
        return rows;
    }

    /** A pretraining row: a definition and the word it answers. */
    record Row(String definition, String answer) {
        String text() {
            return Prompt.row(definition, answer);
        }
    }

    private static java.util.Optional<String> spellable(List<String> words, java.util.Set<String> vocab) {
        return words.stream()
                .filter(w -> !WordVocab.words(w).isEmpty() && vocab.containsAll(WordVocab.words(w)))
                .findFirst();
    }

    /**
     * Where Atelier ships pretrained base LMs: classpath folders {@code <SHIPPED><base-lm-key>/} with
     * the four files of a cache folder. Pretraining is not bit-reproducible across CPUs (docs/zo.md
     * "Base LM"), so the default model ships: every machine then runs the same base LM, and a first
     * {@code zo demo} does not spend five minutes pretraining. A changed setting or data package
     * changes the key, finds no shipped copy and pretrains as before.
     */
    public static final String SHIPPED = "/dev/atelier/zo/shipped/";

    private static final List<String> FILES =
            List.of("config.json", "model.safetensors", "tokenizer.json", "pretrain.json");

    /** Copies the shipped folder {@code name} (if there is one) into {@code dir}, atomically; false when none ships. */
    static boolean installShipped(String name, Path cacheDir, Path dir) throws IOException {
        String base = SHIPPED + name + "/";
        if (!ShippedFiles.ships(BaseLm.class, base + "pretrain.json")) {
            return false;
        }
        Path tmp = Files.createTempDirectory(Files.createDirectories(cacheDir), "base-lm-tmp-");
        try {
            for (String f : FILES) {
                if (!ShippedFiles.install(BaseLm.class, base + f, tmp.resolve(f))) {
                    throw new IOException("the base LM shipped as " + base + " lacks " + f + ": rebuild Atelier");
                }
            }
            publish(tmp, dir);
            return true;
        } finally {
            FileTrees.delete(tmp); // left only when the copy failed or another process published first
        }
    }

    static boolean complete(Path dir) {
        for (String f : FILES) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                return false;
            }
        }
        return true;
    }

    static String key(Path wordnetDir, Path gcideDir, Settings s) throws IOException {
        StringBuilder b = new StringBuilder("format=" + FORMAT + ";" + s);
        for (Path p : List.of(
                wordnetDir.resolve("data.noun"), wordnetDir.resolve("data.verb"), gcideDir.resolve("gcide.index"))) {
            b.append(';').append(p.getFileName()).append('=').append(Files.exists(p) ? Files.size(p) : -1);
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
