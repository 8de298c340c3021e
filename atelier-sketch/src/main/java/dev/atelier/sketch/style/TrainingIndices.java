package dev.atelier.sketch.style;

import dev.atelier.core.util.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Picks a designer's private training images from a split according to the designer's garment mix.
 *
 * <p>Algorithm (deterministic for a given labels array, profile and seed):
 * <ol>
 *   <li>Quotas: {@code trainPairs × mix[c]} rounded by the largest-remainder method, so they sum to
 *       exactly {@code trainPairs} (ties go to the lower label).</li>
 *   <li>Shortage: if a category has fewer images than its quota, all of them are taken and the
 *       missing count is re-distributed over the categories that still have unused images, in
 *       proportion to their mix shares (or to their unused counts when every remaining category has
 *       share 0), repeated until the quota is met. If the whole split has fewer than
 *       {@code trainPairs} images an {@link IllegalArgumentException} is thrown.</li>
 *   <li>Within a category images are drawn without replacement from a seeded shuffle. The stream is
 *       seeded by {@code Seeds.derive(seed, "training-images", name)}, so designers sharing one
 *       global seed still draw different images, and a designer draws the same ones wherever it runs.</li>
 * </ol>
 * The result is sorted ascending (callers shuffle per epoch as they like).
 */
public final class TrainingIndices {

    private TrainingIndices() {}

    /**
     * @param labels  Fashion-MNIST labels (0..9) of the private split, index = image index
     * @param profile the designer (uses {@code garmentMix}, {@code trainPairs} and {@code name})
     * @param seed    experiment seed
     * @return {@code profile.trainPairs()} distinct indices into {@code labels}, ascending
     * @throws IllegalArgumentException if a label is outside 0..9 or the split is too small
     */
    public static int[] pick(int[] labels, DesignerProfile profile, long seed) {
        int k = DesignerProfile.CATEGORIES;
        List<List<Integer>> byCategory = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            byCategory.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException(
                        "labels[" + i + "] = " + labels[i] + " is not a category 0.." + (k - 1));
            }
            byCategory.get(labels[i]).add(i);
        }
        int n = profile.trainPairs();
        if (n > labels.length) {
            throw new IllegalArgumentException("designer '" + profile.name() + "' needs " + n
                    + " training images but the split has only " + labels.length);
        }
        int[] available = byCategory.stream().mapToInt(List::size).toArray();
        int[] quota = quotas(profile, available, n);

        SplittableRandom rnd = new SplittableRandom(Seeds.derive(seed, "training-images", profile.name()));
        int[] out = new int[n];
        int filled = 0;
        for (int c = 0; c < k; c++) {
            List<Integer> pool = byCategory.get(c);
            // Partial Fisher–Yates: the first quota[c] slots become a uniform sample without replacement.
            for (int j = 0; j < quota[c]; j++) {
                int r = j + rnd.nextInt(pool.size() - j);
                Integer tmp = pool.get(j);
                pool.set(j, pool.get(r));
                pool.set(r, tmp);
                out[filled++] = pool.get(j);
            }
        }
        Arrays.sort(out);
        return out;
    }

    /** Per-category counts summing to n, capped by availability (see class comment). */
    static int[] quotas(DesignerProfile profile, int[] available, int n) {
        int k = available.length;
        double[] weight = profile.garmentMix();
        int[] quota = apportion(weight, n, null);
        int deficit = 0;
        for (int c = 0; c < k; c++) {
            if (quota[c] > available[c]) {
                deficit += quota[c] - available[c];
                quota[c] = available[c];
            }
        }
        while (deficit > 0) {
            int[] spare = new int[k];
            double[] w = new double[k];
            double total = 0;
            for (int c = 0; c < k; c++) {
                spare[c] = available[c] - quota[c];
                w[c] = spare[c] > 0 ? weight[c] : 0;
                total += w[c];
            }
            if (total == 0) {
                for (int c = 0; c < k; c++) {
                    w[c] = spare[c];
                }
            }
            int[] extra = apportion(w, deficit, spare);
            for (int c = 0; c < k; c++) {
                quota[c] += extra[c];
                deficit -= extra[c];
            }
        }
        return quota;
    }

    /**
     * Largest-remainder apportionment of {@code n} units by (unnormalised) weights, optionally capped
     * per category; returns fewer than n units only if the caps are exhausted.
     */
    private static int[] apportion(double[] weight, int n, int[] cap) {
        int k = weight.length;
        double total = Arrays.stream(weight).sum();
        int[] out = new int[k];
        if (total <= 0 || n == 0) {
            return out;
        }
        double[] remainder = new double[k];
        int given = 0;
        for (int c = 0; c < k; c++) {
            double exact = n * weight[c] / total;
            out[c] = (int) Math.floor(exact);
            if (cap != null && out[c] > cap[c]) {
                out[c] = cap[c];
            }
            remainder[c] = exact - Math.floor(exact);
            given += out[c];
        }
        while (given < n) {
            int best = -1;
            for (int c = 0; c < k; c++) {
                boolean room = cap == null || out[c] < cap[c];
                if (room && weight[c] > 0 && (best < 0 || remainder[c] > remainder[best])) {
                    best = c;
                }
            }
            if (best < 0) {
                break;
            }
            out[best]++;
            remainder[best] -= 1; // next unit goes to the runner-up
            given++;
        }
        return out;
    }
}
