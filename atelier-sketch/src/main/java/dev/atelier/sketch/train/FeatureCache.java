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

    private FeatureCache(NDManager manager, StyleCard card, RealFeatures all) {
        this.manager = manager;
        this.card = card;
        this.all = all;
    }

    /**
     * Encodes every garment and sketch of {@code data} in chunks. Row {@code r} holds training
     * garment {@code r mod G} and sketch {@code r mod S} ({@code G} = {@link SketchPairs#trainingGarments()},
     * {@code S} = sketches, {@code max(G, S)} rows): for pairs garment and sketch {@code r}; past her pairs
     * the unsketched garments, or the wrapped shorter set of unpaired data (rows are gathered per set).
     */
    static FeatureCache build(SketchGan gan, SketchPairs data) {
        NDManager manager = gan.manager().newSubManager();
        try {
            List<float[]> garments = data.trainingGarments();
            int n = Math.max(garments.size(), data.sketches().size());
            int pairs = data.paired() ? data.garments().size() : 0;
            List<RealFeatures> parts = new ArrayList<>();
            for (int start = 0; start < n; ) {
                // a chunk never straddles the end of her pairs, so its paired rows lead it
                int end = Math.min(start + CHUNK, start < pairs ? pairs : n);
                int len = end - start;
                int[] gi = new int[len];
                int[] si = new int[len];
                for (int i = 0; i < len; i++) {
                    gi[i] = (start + i) % garments.size();
                    si[i] = (start + i) % data.sketches().size();
                }
                try (NDManager chunk = manager.newSubManager()) {
                    RealFeatures f = RealFeatures.compute(
                            gan,
                            Images.batch(chunk, garments, gi),
                            Images.batch(chunk, data.sketches(), si),
                            start < pairs ? len : 0);
                    parts.add(keep(f, manager));
                }
                start = end;
            }
            RealFeatures joined = join(parts);
            return new FeatureCache(manager, gan.styleCard(), joined);
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
     * her pairs), owned by {@code step}. The semantic target is garment-side: row {@code g} holds
     * her sketch's embedding when {@code g} is one of her pairs, the garment's otherwise.
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
                take(all.semanticTarget(), g, step));
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
