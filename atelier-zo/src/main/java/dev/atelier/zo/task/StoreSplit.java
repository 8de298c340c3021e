package dev.atelier.zo.task;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Splits training items across stores by category mix (the usual non-IID federated split): for
 * each label, a Dirichlet(α) draw over the stores decides which share of that label's items each
 * store gets (small α: each store sees few categories; large α: near-uniform). Items of a label
 * are shuffled with the seed, then cut at the cumulative shares. Deterministic for (items, stores,
 * α, seed) on every JVM ({@link Dirichlet}). Stateless.
 */
public final class StoreSplit {
    private StoreSplit() {}

    /** {@code stores} lists of items; a store may be empty when α is small. */
    public static List<List<TaskItem>> split(List<TaskItem> items, int labels, int stores, double alpha, long seed) {
        if (stores < 1) {
            throw new IllegalArgumentException("need at least one store, got " + stores);
        }
        Dirichlet dir = new Dirichlet(seed);
        SplittableRandom shuffle = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<List<TaskItem>> out = new ArrayList<>();
        for (int s = 0; s < stores; s++) {
            out.add(new ArrayList<>());
        }
        for (int label = 0; label < labels; label++) {
            List<TaskItem> of = new ArrayList<>();
            for (TaskItem it : items) {
                if (it.label() == label) {
                    of.add(it);
                }
            }
            for (int i = of.size() - 1; i > 0; i--) {
                int j = shuffle.nextInt(i + 1);
                TaskItem t = of.get(i);
                of.set(i, of.get(j));
                of.set(j, t);
            }
            double[] share = dir.draw(alpha, stores);
            double cum = 0;
            int from = 0;
            for (int s = 0; s < stores; s++) {
                cum += share[s];
                int to = s == stores - 1 ? of.size() : (int) Math.round(cum * of.size());
                out.get(s).addAll(of.subList(from, Math.max(from, to)));
                from = Math.max(from, to);
            }
        }
        return out.stream().map(List::copyOf).toList();
    }
}
