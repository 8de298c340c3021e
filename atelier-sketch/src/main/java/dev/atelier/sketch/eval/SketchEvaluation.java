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
            if (style < 0 || style >= EvaluatorNet.STYLES) {
                throw new IllegalArgumentException("style " + style + " outside [0, " + EvaluatorNet.STYLES + ")");
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
    public SketchMetrics evaluate(int style, Set<Integer> peerStyles, List<float[]> generated, List<float[]> references) {
        return evaluateAll(List.of(new Case(style, peerStyles, generated, references))).get(0);
    }

    /** Scores many cases; result {@code i} belongs to {@code cases.get(i)}. */
    public synchronized List<SketchMetrics> evaluateAll(List<Case> cases) {
        List<PreparedReference> refs = new ArrayList<>(cases.size());
        List<float[]> allGenerated = new ArrayList<>();
        for (Case c : cases) {
            refs.add(references.computeIfAbsent(new ContentKey(c.references()), k -> prepare(k.sketches)));
            allGenerated.addAll(c.generated());
        }
        Embedded all = evaluator.embed(allGenerated);
        int[] offsets = new int[cases.size() + 1];
        for (int i = 0; i < cases.size(); i++) {
            offsets[i + 1] = offsets[i] + cases.get(i).generated().size();
        }
        // DJL work is done; the rest is pure Java and independent per case
        return IntStream.range(0, cases.size()).parallel().mapToObj(i -> {
            Case c = cases.get(i);
            float[][] emb = Arrays.copyOfRange(all.embeddings(), offsets[i], offsets[i + 1]);
            float[][] style = Arrays.copyOfRange(all.styleProbs(), offsets[i], offsets[i + 1]);
            PreparedReference r = refs.get(i);
            return new SketchMetrics(
                    r.frechet.distanceTo(GaussianFit.of(emb)),
                    KernelDistance.kid(emb, r.embedded.embeddings()),
                    Ssim.mean(c.generated(), c.references()),
                    L1Distance.mean(c.generated(), c.references()),
                    StyleScores.accuracy(style, c.style()),
                    StyleScores.fusion(style, c.style(), c.peerStyles()));
        }).toList();
    }

    /** The evaluator's outputs on a reference set (cached). */
    public synchronized Embedded embedReferences(List<float[]> referenceSketches) {
        return references.computeIfAbsent(new ContentKey(List.copyOf(referenceSketches)), k -> prepare(k.sketches)).embedded;
    }

    private PreparedReference prepare(List<float[]> sketches) {
        Embedded e = evaluator.embed(sketches);
        return new PreparedReference(e, new FrechetDistance.Reference(GaussianFit.of(e.embeddings())));
    }

    private record PreparedReference(Embedded embedded, FrechetDistance.Reference frechet) {
    }

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
