package dev.atelier.ml.data;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The one rule by which a node sets aside local held-out data for federated evaluation (the
 * {@code EVALUATE} task), so it never scores the global model on examples it trained on.
 *
 * <p>Rule: of a node's {@code n} examples, in the order the node holds them, every
 * {@value #EVERY}th is held out — positions {@code 9, 19, 29, …} ({@code i % 10 == 9}) — and the
 * rest train. It is deterministic (no seed: the same data always splits the same way on every
 * machine), keeps 10% (⌊n/10⌋ examples), and leaves a node with fewer than {@value #EVERY}
 * examples with no held-out data, in which case its evaluate task must fail with a reason rather
 * than score training data. Stateless.
 */
public final class HoldOut {
    /** One example in this many is held out. */
    public static final int EVERY = 10;

    private HoldOut() {}

    /** True when position {@code i} is held out. */
    public static boolean isHeldOut(int i) {
        return i % EVERY == EVERY - 1;
    }

    /** Positions {@code 0..n-1} that train. */
    public static int[] trainPositions(int n) {
        return positions(n, false);
    }

    /** Positions {@code 0..n-1} that are held out (⌊n/10⌋ of them). */
    public static int[] heldOutPositions(int n) {
        return positions(n, true);
    }

    /** The elements of {@code items} at the train (or held-out) positions, in order. */
    public static <T> List<T> select(List<T> items, boolean heldOut) {
        return select(items.size(), items::get, heldOut);
    }

    /** {@code select} for an indexed source, e.g. {@code i -> dataset.image(i)}. */
    public static <T> List<T> select(int n, IntFunction<T> item, boolean heldOut) {
        List<T> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (isHeldOut(i) == heldOut) {
                out.add(item.apply(i));
            }
        }
        return out;
    }

    private static int[] positions(int n, boolean heldOut) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        int[] out = new int[heldOut ? n / EVERY : n - n / EVERY];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (isHeldOut(i) == heldOut) {
                out[k++] = i;
            }
        }
        return out;
    }
}
