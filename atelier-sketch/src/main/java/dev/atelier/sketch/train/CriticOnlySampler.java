package dev.atelier.sketch.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.atelier.ml.nn.Images;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.privacy.CriticDpSgd;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Puts a trainer's {@link CriticOnlyRecords} into its critic steps. Records are numbered after her
 * {@code pairs}: {@code [0, pairs)} are hers, then the critic-only sketches, then the critic-only
 * gradients. A plain step draws its batch over all of them with its own stream (so her batches stay
 * as without them) and adds the critic-only ones it drew on top of hers; a DP-SGD step gets a
 * Poisson sample over all of them from the accountant and {@link #split}s it.
 */
final class CriticOnlySampler {
    private final CriticOnlyRecords records;
    private final SketchGan gan;
    private final int pairs;
    /** The critic-only gradients, flat in {@link CriticDpSgd#flatten}'s layout. */
    private final List<float[]> gradients;

    private final SplittableRandom rng;

    CriticOnlySampler(CriticOnlyRecords records, SketchGan gan, int pairs, int sketchPixels, long seed) {
        this.records = records;
        this.gan = gan;
        this.pairs = pairs;
        for (float[] c : records.sketches()) {
            if (c.length != sketchPixels) {
                throw new IllegalArgumentException(
                        "a critic-only sketch has " + c.length + " pixels, her sketches have " + sketchPixels);
            }
        }
        this.gradients = records.gradients().stream()
                .map(g -> CriticDpSgd.flatten(gan, g))
                .toList();
        this.rng = new SplittableRandom(seed ^ 0x5EED_C417_1C0DL);
    }

    /** Her pairs plus the critic-only records: what a DP-SGD critic must be planned for. */
    int totalRecords() {
        return pairs + records.size();
    }

    boolean isEmpty() {
        return records.isEmpty();
    }

    /**
     * A plain step's draw: {@code batch} draws over all records; the critic-only ones among them
     * (indices into the critic-only records: sketches, then gradients). Each is thus drawn as
     * often as one of her pairs.
     */
    int[] draw(int batch) {
        if (records.isEmpty()) {
            return new int[0];
        }
        return IntStream.range(0, batch)
                .map(k -> rng.nextInt(pairs + records.size()) - pairs)
                .filter(i -> i >= 0)
                .toArray();
    }

    /** {@code realInput} with the Gram stacks of the drawn critic-only sketches as extra rows. */
    NDArray withSketches(NDManager sm, NDArray realInput, int[] drawn) {
        int[] sketches =
                Arrays.stream(drawn).filter(i -> i < records.sketches().size()).toArray();
        return sketches.length == 0 ? realInput : realInput.concat(sketchInput(sm, sketches), 0);
    }

    /** Adds the drawn critic-only gradients to the critic's gradient buffers, each times {@code scale}. */
    void addGradients(NDManager sm, int[] drawn, double scale) {
        int co = records.sketches().size();
        for (int i : drawn) {
            if (i >= co) {
                CriticDpSgd.addToGradients(gan, sm, gradients.get(i - co), scale);
            }
        }
    }

    /** Gram stacks of critic-only sketches, as {@link RealFeatures#criticInput} is of her sketches. */
    NDArray sketchInput(NDManager sm, int[] indices) {
        return gan.criticInput(gan.encode(Images.batch(sm, records.sketches(), indices)));
    }

    /**
     * A DP-SGD sample split by kind.
     *
     * @param own       her records (indices into her pairs)
     * @param sketches  critic-only sketches (indices into them)
     * @param gradients critic-only gradients, flat
     */
    record Split(int[] own, int[] sketches, List<float[]> gradients) {}

    Split split(int[] sampled) {
        int co = records.sketches().size();
        return new Split(
                Arrays.stream(sampled).filter(r -> r < pairs).toArray(),
                Arrays.stream(sampled)
                        .filter(r -> r >= pairs && r < pairs + co)
                        .map(r -> r - pairs)
                        .toArray(),
                Arrays.stream(sampled)
                        .filter(r -> r >= pairs + co)
                        .mapToObj(r -> gradients.get(r - pairs - co))
                        .toList());
    }
}
