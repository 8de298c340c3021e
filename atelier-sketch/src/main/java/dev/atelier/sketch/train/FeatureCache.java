package dev.atelier.sketch.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.atelier.ml.nn.Images;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.StyleCard;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link RealFeatures} of a designer's whole data set, computed once with the frozen encoder so a
 * training step only gathers rows. The stylised garment features depend on the style card, so the
 * cache remembers the card it was built with and the trainer rebuilds it when the card changes.
 *
 * <p>Memory: about 0.3 MB of native memory per example with the default encoder (stylised
 * features 30 k floats, content target 16 k, Gram matrices 22 k, critic input 4 k). Owns it
 * ({@link #close()}). Not thread-safe.
 */
final class FeatureCache implements AutoCloseable {
    private static final int CHUNK = 64;
    private final NDManager manager;
    private final StyleCard card;
    private final RealFeatures all;
    private final boolean paired;

    private FeatureCache(NDManager manager, StyleCard card, RealFeatures all, boolean paired) {
        this.manager = manager;
        this.card = card;
        this.all = all;
        this.paired = paired;
    }

    /** Encodes every garment and sketch of {@code data} in chunks; unpaired data is cached side by side per set. */
    static FeatureCache build(SketchGan gan, SketchPairs data) {
        NDManager manager = gan.manager().newSubManager();
        try {
            int n = data.size();
            List<RealFeatures> parts = new ArrayList<>();
            for (int start = 0; start < n; start += CHUNK) {
                int len = Math.min(CHUNK, n - start);
                int[] gi = new int[len];
                int[] si = new int[len];
                for (int i = 0; i < len; i++) {
                    // Unpaired sets may differ in size: wrap the shorter one (rows are then gathered per set).
                    gi[i] = (start + i) % data.garments().size();
                    si[i] = (start + i) % data.sketches().size();
                }
                try (NDManager chunk = manager.newSubManager()) {
                    RealFeatures f = RealFeatures.compute(
                            gan,
                            Images.batch(chunk, data.garments(), gi),
                            Images.batch(chunk, data.sketches(), si),
                            data.paired());
                    parts.add(keep(f, manager));
                }
            }
            RealFeatures joined = join(parts);
            return new FeatureCache(manager, gan.styleCard(), joined, data.paired());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The card the stylised features were computed with. */
    StyleCard card() {
        return card;
    }

    /**
     * Rows for a batch: garment-side rows {@code gi}, sketch-side rows {@code si} (equal for
     * paired data), owned by {@code step}.
     */
    RealFeatures gather(NDManager step, int[] gi, int[] si) {
        NDArray g = step.create(toLongs(gi));
        NDArray s = step.create(toLongs(si));
        NDList stylised = new NDList();
        for (NDArray a : all.stylised()) {
            stylised.add(take(a, g, step));
        }
        List<NDArray> grams = new ArrayList<>();
        for (NDArray a : all.grams()) {
            grams.add(take(a, s, step));
        }
        return new RealFeatures(
                stylised,
                take(all.contentTarget(), g, step),
                grams,
                take(all.criticInput(), s, step),
                take(all.semanticTarget(), paired ? s : g, step));
    }

    private static NDArray take(NDArray source, NDArray rows, NDManager step) {
        NDArray r = source.get(rows);
        r.attach(step);
        return r;
    }

    private static long[] toLongs(int[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    private static RealFeatures keep(RealFeatures f, NDManager owner) {
        NDList stylised = new NDList();
        f.stylised().forEach(a -> stylised.add(detach(a, owner)));
        List<NDArray> grams = new ArrayList<>();
        f.grams().forEach(a -> grams.add(detach(a, owner)));
        return new RealFeatures(
                stylised,
                detach(f.contentTarget(), owner),
                grams,
                detach(f.criticInput(), owner),
                detach(f.semanticTarget(), owner));
    }

    private static NDArray detach(NDArray a, NDManager owner) {
        a.attach(owner);
        return a;
    }

    private static RealFeatures join(List<RealFeatures> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        RealFeatures first = parts.get(0);
        NDList stylised = new NDList();
        for (int s = 0; s < first.stylised().size(); s++) {
            final int k = s;
            stylised.add(concat(parts.stream().map(p -> p.stylised().get(k)).toList()));
        }
        List<NDArray> grams = new ArrayList<>();
        for (int s = 0; s < first.grams().size(); s++) {
            final int k = s;
            grams.add(concat(parts.stream().map(p -> p.grams().get(k)).toList()));
        }
        RealFeatures joined = new RealFeatures(
                stylised,
                concat(parts.stream().map(RealFeatures::contentTarget).toList()),
                grams,
                concat(parts.stream().map(RealFeatures::criticInput).toList()),
                concat(parts.stream().map(RealFeatures::semanticTarget).toList()));
        for (RealFeatures p : parts) {
            p.stylised().close();
            p.grams().forEach(NDArray::close);
            p.contentTarget().close();
            p.criticInput().close();
            p.semanticTarget().close();
        }
        return joined;
    }

    private static NDArray concat(List<NDArray> arrays) {
        return NDArrays.concat(new NDList(arrays), 0);
    }

    @Override
    public void close() {
        manager.close();
    }
}
