package dev.atelier.sketch.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Scores generated sketches against reference renderings of the same held-out garments: the metrics
 * of the demo report ({@link SketchMetrics}).
 *
 * <p>For one designer (style index {@code style}, peers' styles {@code peerStyles}) and aligned lists
 * {@code generated[i]}, {@code references[i]} of 32×32 sketches in [0,1] of the same test garment i:
 * SSIM and L1 on the aligned pairs; FSD and KID between the evaluator embeddings of the two sets;
 * style accuracy and fusion from the evaluator's style head on the generated set. See
 * {@code docs/evaluation.md}.
 *
 * <p>References are embedded once per distinct content and cached with their Gaussian fit and
 * covariance square root, so scoring several regimes against one designer's references repeats no
 * work. {@link #evaluateAll} embeds all generated sets in large batches and then computes the pure-Java
 * metrics of the cases in parallel. The cache grows with the number of distinct reference sets (a few
 * hundred KB each). Thread-safe (synchronized); the evaluator is borrowed, not closed.
 */
public final class SketchEvaluation {
    private final SketchEvaluator evaluator;
    private final Map<ContentKey, PreparedReference> references = new HashMap<>();

    /**
     * One designer × regime to score.
     *
     * @param style      the designer's style index ({@link dev.atelier.sketch.style.Styles} ordinal)
     * @param peerStyles style indices of the other designers in the federation (for the fusion score)
     * @param generated  the designer's generated sketches, 32×32 in [0,1]
     * @param references the designer's reference renderings of the same garments, same order
     */
    public record Case(int style, Set<Integer> peerStyles, List<float[]> generated, List<float[]> references) {
        public Case {
            peerStyles = Set.copyOf(peerStyles);
            generated = List.copyOf(generated);
            references = List.copyOf(references);
            if (style < 0 || style >= EvaluatorBlock.STYLES) {
                throw new IllegalArgumentException("style " + style + " outside [0, " + EvaluatorBlock.STYLES + ")");
            }
            Pairs.check(generated, references);
            if (generated.size() < 2) {
                throw new IllegalArgumentException("FSD and KID need at least 2 sketches, got " + generated.size());
            }
        }
    }

    public SketchEvaluation(SketchEvaluator evaluator) {
        this.evaluator = evaluator;
    }

    /** Scores one designer's generated sketches; see {@link Case} for the arguments. */
    public SketchMetrics evaluate(
            int style, Set<Integer> peerStyles, List<float[]> generated, List<float[]> references) {
        return evaluateAll(List.of(new Case(style, peerStyles, generated, references)))
                .get(0);
    }

    /** Scores many cases; result {@code i} belongs to {@code cases.get(i)}. */
    public synchronized List<SketchMetrics> evaluateAll(List<Case> cases) {
        List<ContentKey> keys =
                cases.stream().map(c -> new ContentKey(c.references())).toList();
        prepareMissing(keys);
        List<float[]> allGenerated = new ArrayList<>();
        int[] offsets = new int[cases.size() + 1];
        for (int i = 0; i < cases.size(); i++) {
            allGenerated.addAll(cases.get(i).generated());
            offsets[i + 1] = allGenerated.size();
        }
        Embedded all = evaluator.embed(allGenerated);
        // DJL work is done; the rest is pure Java and independent per case
        return IntStream.range(0, cases.size())
                .parallel()
                .mapToObj(i -> {
                    Case c = cases.get(i);
                    float[][] emb = Arrays.copyOfRange(all.embeddings(), offsets[i], offsets[i + 1]);
                    float[][] style = Arrays.copyOfRange(all.styleProbs(), offsets[i], offsets[i + 1]);
                    PreparedReference r = references.get(keys.get(i));
                    return new SketchMetrics(
                            r.frechet.distanceTo(GaussianFit.of(emb)),
                            KernelDistance.kid(emb, r.embedded.embeddings()),
                            Ssim.mean(c.generated(), c.references()),
                            L1Distance.mean(c.generated(), c.references()),
                            StyleScores.accuracy(style, c.style()),
                            StyleScores.fusion(style, c.style(), c.peerStyles()));
                })
                .toList();
    }

    /** The evaluator's outputs on a reference set (cached). */
    public synchronized Embedded embedReferences(List<float[]> referenceSketches) {
        ContentKey key = new ContentKey(List.copyOf(referenceSketches));
        prepareMissing(List.of(key));
        return references.get(key).embedded;
    }

    /** Embeds all uncached reference sets in one pass, then takes their covariance square roots in parallel. */
    private void prepareMissing(List<ContentKey> keys) {
        List<ContentKey> missing =
                keys.stream().filter(k -> !references.containsKey(k)).distinct().toList();
        if (missing.isEmpty()) {
            return;
        }
        List<float[]> sketches = new ArrayList<>();
        missing.forEach(k -> sketches.addAll(k.sketches));
        Embedded all = evaluator.embed(sketches);
        int[] offsets = new int[missing.size() + 1];
        for (int i = 0; i < missing.size(); i++) {
            offsets[i + 1] = offsets[i] + missing.get(i).sketches.size();
        }
        List<PreparedReference> prepared = IntStream.range(0, missing.size())
                .parallel()
                .mapToObj(i -> {
                    Embedded e = new Embedded(
                            Arrays.copyOfRange(all.embeddings(), offsets[i], offsets[i + 1]),
                            Arrays.copyOfRange(all.styleProbs(), offsets[i], offsets[i + 1]),
                            Arrays.copyOfRange(all.garmentProbs(), offsets[i], offsets[i + 1]));
                    return new PreparedReference(e, new FrechetDistance.Reference(GaussianFit.of(e.embeddings())));
                })
                .toList();
        for (int i = 0; i < missing.size(); i++) {
            references.put(missing.get(i), prepared.get(i));
        }
    }

    private record PreparedReference(Embedded embedded, FrechetDistance.Reference frechet) {}

    /** Content identity of a sketch list: equal pixels, equal key (so callers may pass fresh copies). */
    private static final class ContentKey {
        private final List<float[]> sketches;
        private final int hash;

        ContentKey(List<float[]> sketches) {
            this.sketches = sketches;
            int h = sketches.size();
            for (float[] s : sketches) {
                h = 31 * h + Arrays.hashCode(s);
            }
            this.hash = h;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof ContentKey k) || k.hash != hash || k.sketches.size() != sketches.size()) {
                return false;
            }
            for (int i = 0; i < sketches.size(); i++) {
                if (!Arrays.equals(sketches.get(i), k.sketches.get(i))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
