package dev.atelier.sketch.eval;

import ai.djl.ndarray.NDManager;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.core.util.Progress;
import dev.atelier.core.util.Seeds;
import dev.atelier.core.util.ShippedFiles;
import dev.atelier.ml.data.ImageDataset;
import dev.atelier.ml.nn.BlockParams;
import dev.atelier.sketch.style.Styles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Gets the trained sketch <em>evaluator</em>, from its cache or by training it now: an
 * {@link EvaluatorBlock} (the network) trained centrally on reference renderings of
 * <b>public-split</b> garments in all 8 styles (never test garments, never generated sketches), to
 * classify style (plus a "none of the styles" class learnt from synthetic {@link NonSketches}) and
 * garment category. Its embedding is the feature space of FSD and KID. It is
 * independent of the GAN: no training loss of any regime uses it.
 *
 * <p>Cached as {@code <cacheDir>/sketch-evaluator-<key>.safetensors} (parameters under prefix
 * {@value EvaluatorTrainer#PREFIX}, test accuracy in the metadata). The key hashes the architecture
 * version, the settings, the style names, a probe rendering of every style (so a changed renderer
 * retrains), and the garments and labels used for training and for the accuracy report.
 */
public final class EvaluatorCache {
    /** Bump when {@link EvaluatorBlock} or the training recipe changes so stale caches are not loaded. */
    static final String ARCH_VERSION = "sketch-evaluator-v2";
    /** Where Atelier ships the demo's evaluator ({@link ShippedFiles}): every machine judges styles with the same one. */
    public static final String SHIPPED = "/dev/atelier/sketch/shipped/";

    private static final int PROBE_GARMENTS = 4;

    private EvaluatorCache() {}

    /**
     * @param params   network parameters (prefix {@value EvaluatorTrainer#PREFIX}); open with {@link #open()}
     * @param accuracy measured on the rendered test garments right after training (stored with the cache)
     * @param cached   whether it was loaded from {@code file} rather than trained now
     */
    public record Trained(ParamSet params, EvaluatorAccuracy accuracy, boolean cached, Path file) {
        /** A ready-to-use evaluator; the caller closes it. */
        public SketchEvaluator open() {
            return SketchEvaluator.load(params);
        }
    }

    /**
     * Loads the cached evaluator for these inputs or trains it (with a progress line on stderr) and caches it.
     *
     * @param publicTrain public-split garments (28×28); the first {@code maxGarments} are rendered in every style
     * @param test        test garments; the first {@code testGarments}, rendered in every style, only measure accuracy
     */
    public static Trained getOrTrain(
            ImageDataset publicTrain, ImageDataset test, EvaluatorSettings settings, Path cacheDir) throws IOException {
        return getOrTrain(publicTrain, test, settings, cacheDir, true);
    }

    /** As {@link #getOrTrain(ImageDataset, ImageDataset, EvaluatorSettings, Path)}; {@code showProgress=false} trains silently. */
    public static Trained getOrTrain(
            ImageDataset publicTrain,
            ImageDataset test,
            EvaluatorSettings settings,
            Path cacheDir,
            boolean showProgress)
            throws IOException {
        if (publicTrain.size() == 0 || test.size() == 0) {
            throw new IllegalArgumentException("the evaluator needs public training garments and test garments");
        }
        String name = "sketch-evaluator-" + cacheKey(publicTrain, test, settings) + ".safetensors";
        Path file = cacheDir.resolve(name);
        if (!Files.isRegularFile(file)
                && ShippedFiles.install(EvaluatorCache.class, SHIPPED + name, file)
                && showProgress) {
            System.err.println("sketch evaluator: installed into " + file
                    + " from the copy shipped with Atelier (same data and settings)");
        }
        if (Files.isRegularFile(file)) {
            try {
                var c = Safetensors.readWithMetadata(file);
                return new Trained(c.params(), parseAccuracy(c.metadata()), true, file);
            } catch (IOException | RuntimeException e) {
                System.err.println(
                        "warning: ignoring unreadable cache " + file + " (" + e.getMessage() + "); retraining");
            }
        }
        StyledSketches train = StyledSketches.render(publicTrain, settings.maxGarments());
        Progress p = showProgress
                ? Progress.start("sketch evaluator (" + train.size() + " public reference sketches)", settings.steps())
                : Progress.silent(settings.steps());
        ParamSet params;
        double loss;
        try (NDManager m = NDManager.newBaseManager()) {
            EvaluatorBlock net = EvaluatorTrainer.newNet(m, settings.seed());
            List<float[]> photos = IntStream.range(0, Math.min(settings.maxGarments(), publicTrain.size()))
                    .mapToObj(publicTrain::image)
                    .toList();
            loss = EvaluatorTrainer.train(
                    net,
                    m,
                    train,
                    photos,
                    settings,
                    (step, l) -> p.step(1, String.format(Locale.ROOT, "loss %.3f", l)));
            params = BlockParams.toParamSet(net, EvaluatorTrainer.PREFIX);
        }
        StyledSketches testSketches = StyledSketches.render(test, settings.testGarments());
        // held-out non-sketches: built from test garments with a seed training never uses
        SplittableRandom rng = new SplittableRandom(Seeds.derive(settings.seed(), "held-out-non-sketches", ""));
        List<float[]> nonSketches = IntStream.range(0, Math.min(settings.testGarments(), test.size()))
                .mapToObj(i -> NonSketches.sample(rng, test.image(i)))
                .toList();
        EvaluatorAccuracy acc;
        try (SketchEvaluator ev = SketchEvaluator.load(params)) {
            acc = EvaluatorAccuracy.measure(ev.embed(testSketches.sketches()), testSketches, ev.embed(nonSketches));
        }
        p.finish(String.format(
                Locale.ROOT,
                "loss %.3f, test style accuracy %.3f, garment accuracy %.3f, non-sketches rejected %.3f",
                loss,
                acc.style(),
                acc.garment(),
                acc.nonSketch()));
        Files.createDirectories(cacheDir);
        Safetensors.write(params, metadata(acc, settings), file);
        return new Trained(params, acc, false, file);
    }

    private static Map<String, String> metadata(EvaluatorAccuracy acc, EvaluatorSettings s) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", "atelier-sketch-evaluator-v1");
        m.put("arch", ARCH_VERSION);
        m.put("settings", s.toString());
        m.put("styles", String.join(",", Styles.names()));
        m.put("test_style_accuracy", Double.toString(acc.style()));
        m.put("test_garment_accuracy", Double.toString(acc.garment()));
        m.put(
                "test_per_style_accuracy",
                Arrays.stream(acc.perStyle()).mapToObj(Double::toString).collect(Collectors.joining(",")));
        m.put("test_sketches", Integer.toString(acc.sketches()));
        m.put("test_non_sketch_rejection", Double.toString(acc.nonSketch()));
        return m;
    }

    private static EvaluatorAccuracy parseAccuracy(Map<String, String> m) {
        double[] per = Arrays.stream(m.get("test_per_style_accuracy").split(","))
                .mapToDouble(Double::parseDouble)
                .toArray();
        return new EvaluatorAccuracy(
                Double.parseDouble(m.get("test_style_accuracy")),
                Double.parseDouble(m.get("test_garment_accuracy")),
                per,
                Integer.parseInt(m.get("test_sketches")),
                Double.parseDouble(m.get("test_non_sketch_rejection")));
    }

    static String cacheKey(ImageDataset publicTrain, ImageDataset test, EvaluatorSettings s) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(
                    (ARCH_VERSION + "|" + s + "|" + String.join(",", Styles.names())).getBytes(StandardCharsets.UTF_8));
            // a probe rendering per style: another session editing a renderer must invalidate the cache
            ByteBuffer buf = ByteBuffer.allocate(Float.BYTES * 1024);
            for (int g = 0; g < Math.min(PROBE_GARMENTS, publicTrain.size()); g++) {
                for (Styles style : Styles.values()) {
                    buf.clear();
                    buf.asFloatBuffer().put(style.render(publicTrain.image(g)));
                    md.update(buf.array());
                }
            }
            hash(md, publicTrain, s.maxGarments());
            hash(md, test, s.testGarments());
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void hash(MessageDigest md, ImageDataset data, int limit) {
        int n = Math.min(limit, data.size());
        md.update(ByteBuffer.allocate(4).putInt(n).array());
        for (int i = 0; i < n; i++) {
            md.update(data.rawImage(i));
            md.update((byte) data.label(i));
        }
    }
}
