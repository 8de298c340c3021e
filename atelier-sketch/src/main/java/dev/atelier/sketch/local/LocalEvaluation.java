package dev.atelier.sketch.local;

import dev.atelier.ml.data.HoldOut;
import dev.atelier.sketch.eval.EvaluatorCanvas;
import dev.atelier.sketch.eval.KidInterval;
import dev.atelier.sketch.eval.L1Distance;
import dev.atelier.sketch.eval.SketchEvaluator;
import dev.atelier.sketch.eval.Ssim;
import dev.atelier.sketch.folder.DesignerFolder;
import dev.atelier.sketch.model.ModelDir;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.style.ImageOps;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code atelier sketch eval}: a model's sketches of a designer's held-out garments against her own
 * sketches of them, next to two baselines a model has to beat.
 *
 * <ul>
 *   <li>{@code model}: the model directory's generator.</li>
 *   <li>{@code edges}: the inverted Sobel edge map of the garment on the canvas,
 *       {@code 1 − min(1, |∇g| / 4)} (a unit step, magnitude 4, becomes full ink).</li>
 *   <li>{@code mean_sketch}: the pixelwise mean of the folder's other (training) sketches; when
 *       every pair is scored, of the scored ones themselves (in-sample, flagged).</li>
 * </ul>
 * Metrics: L1 in [0,1] units (lower is better) and SSIM (higher is better), as in
 * docs/evaluation.md; with an evaluator, KID between each row's sketches and the references in the
 * evaluator's embedding space (sketches brought to its 32×32 input, {@link EvaluatorCanvas}), with a
 * paired-bootstrap 95% interval ({@link KidInterval}; lower is better, 0 = same distribution). Which pairs: those listed in the model directory's {@code held-out.txt} when it
 * exists and {@code all} is false, else every matched pair of the folder. Stateless.
 */
public final class LocalEvaluation {
    private LocalEvaluation() {}

    /**
     * One row of the table.
     *
     * @param kid KID with its 95% interval, or null without an evaluator or with fewer than 2 pairs
     */
    public record Scores(double l1, double ssim, KidInterval.Estimate kid) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("l1", l1);
            m.put("ssim", ssim);
            if (kid != null) {
                m.put("kid", kid.kid());
                m.put("kid_ci95", List.of(kid.low(), kid.high()));
            }
            return m;
        }
    }

    /**
     * The result.
     *
     * @param pairs scored pair names
     * @param meanInSample whether the mean-sketch baseline saw the scored sketches
     * @param scores {@code model}, {@code edges}, {@code mean_sketch}, in that order
     */
    public record Result(List<String> pairs, boolean meanInSample, Map<String, Scores> scores) {
        /** The report as a JSON-ready map. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("format", "atelier-sketch-eval/1");
            m.put("pairs", pairs.size());
            m.put("mean_sketch_in_sample", meanInSample);
            scores.values().stream().filter(v -> v.kid() != null).findFirst().ifPresent(v -> {
                m.put("kid_space", "evaluator embedding (32x32 input), cubic kernel");
                m.put(
                        "kid_bootstrap",
                        Map.of(
                                "resamples",
                                v.kid().resamples(),
                                "level",
                                v.kid().level()));
            });
            Map<String, Object> s = new LinkedHashMap<>();
            scores.forEach((k, v) -> s.put(k, v.toMap()));
            m.put("scores", s);
            m.put("pair_names", pairs);
            return m;
        }
    }

    public static Result run(ModelDir dir, DesignerFolder folder, boolean all) throws IOException {
        return run(dir, folder, all, null);
    }

    /**
     * @param evaluator the sketch evaluator whose embedding KID is measured in, or null for no KID
     */
    public static Result run(ModelDir dir, DesignerFolder folder, boolean all, SketchEvaluator evaluator)
            throws IOException {
        int canvas = dir.canvas();
        if (folder.options().canvas() != canvas) {
            throw new IllegalArgumentException(folder.dir() + " was read onto a "
                    + folder.options().canvas() + " px canvas but " + dir.root() + " is a " + canvas + " px model");
        }
        var pairs = folder.pairs();
        List<String> names = folder.pairing().paired();
        if (!pairs.paired()) {
            throw new IllegalArgumentException(
                    "evaluation needs pairs (a reference sketch per garment); drop --unpaired");
        }
        Set<String> chosen = new TreeSet<>(names);
        if (!all && Files.isRegularFile(dir.heldOut())) {
            List<String> held = Files.readAllLines(dir.heldOut()).stream()
                    .filter(l -> !l.isBlank())
                    .toList();
            List<String> missing =
                    held.stream().filter(n -> !chosen.contains(n)).toList();
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(folder.dir() + " lacks held-out pairs of " + dir.heldOut() + ": "
                        + String.join(", ", missing.subList(0, Math.min(12, missing.size())))
                        + " (pass the folder the model was trained on, or --all to score every pair of this one)");
            }
            chosen.retainAll(held);
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("no pairs to score (held-out.txt is empty: fewer than " + HoldOut.EVERY
                    + " pairs were trained); pass --all with a separate folder");
        }
        List<float[]> garments = new ArrayList<>();
        List<float[]> refs = new ArrayList<>();
        List<float[]> others = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (chosen.contains(names.get(i))) {
                garments.add(pairs.garments().get(i));
                refs.add(pairs.sketches().get(i));
            } else {
                others.add(pairs.sketches().get(i));
            }
        }
        boolean inSample = others.isEmpty();
        float[] mean = mean(inSample ? refs : others);
        List<float[]> generated;
        try (SketchGan gan = dir.loadModel()) {
            generated = List.of(gan.generate(garments.toArray(new float[0][])));
        }
        List<float[]> edges = garments.stream().map(LocalEvaluation::edgeMap).toList();
        List<float[]> means = refs.stream().map(r -> mean).toList();
        Map<String, Scores> scores = new LinkedHashMap<>();
        float[][] refEmb = evaluator == null ? null : embed(evaluator, refs);
        scores.put("model", score(generated, refs, evaluator, refEmb));
        scores.put("edges", score(edges, refs, evaluator, refEmb));
        scores.put("mean_sketch", score(means, refs, evaluator, refEmb));
        return new Result(List.copyOf(chosen), inSample, scores);
    }

    /** The inverted Sobel edge map of a garment on the canvas (N×N, in [0,1], 1 = paper). */
    public static float[] edgeMap(float[] garment) {
        int side = (int) Math.round(Math.sqrt(garment.length));
        if (side * side != garment.length) {
            throw new IllegalArgumentException("a garment on the canvas is square, got " + garment.length + " pixels");
        }
        float[] mag = ImageOps.sobelMagnitude(garment, side);
        float[] out = new float[mag.length];
        for (int i = 0; i < mag.length; i++) {
            out[i] = 1f - Math.min(1f, mag[i] / 4f);
        }
        return out;
    }

    private static Scores score(List<float[]> x, List<float[]> refs, SketchEvaluator evaluator, float[][] refEmb) {
        KidInterval.Estimate kid = null;
        if (evaluator != null && refs.size() >= 2) {
            kid = KidInterval.paired(embed(evaluator, x), refEmb);
        }
        return new Scores(L1Distance.mean(x, refs), Ssim.mean(x, refs), kid);
    }

    private static float[][] embed(SketchEvaluator evaluator, List<float[]> sketches) {
        return evaluator
                .embed(sketches.stream().map(EvaluatorCanvas::toEvaluator).toList())
                .embeddings();
    }

    private static float[] mean(List<float[]> images) {
        float[] m = new float[images.get(0).length];
        for (float[] img : images) {
            for (int i = 0; i < m.length; i++) {
                m[i] += img[i] / images.size();
            }
        }
        return m;
    }
}
