package dev.atelier.ml.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The deterministic split of a training set into a <em>public</em> part (for backbone pretraining on
 * the server) and a disjoint <em>private</em> part (distributed to the nodes).
 *
 * <p>The training indices {@code 0..trainSize-1} are shuffled with a {@link SplittableRandom} seeded
 * by {@code seed}; the first {@code publicSize} shuffled indices form the public part and the rest the
 * private part. Both index arrays are then sorted ascending, so subsets keep the file order. The same
 * (trainSize, publicSize, seed) always gives the same split on every JVM.
 *
 * <p>Thread-safety: immutable; accessors return copies.
 */
public record TrainSplit(int[] publicIndices, int[] privateIndices) {

    /** Default number of public images: 10 000 of Fashion-MNIST's 60 000 training images. */
    public static final int DEFAULT_PUBLIC_SIZE = 10_000;

    /** Default seed of the public/private shuffle. */
    public static final long DEFAULT_SEED = 20_240_601L;

    public TrainSplit {
        publicIndices = publicIndices.clone();
        privateIndices = privateIndices.clone();
    }

    /**
     * Splits {@code trainSize} images into {@code publicSize} public and {@code trainSize - publicSize}
     * private ones.
     *
     * @throws IllegalArgumentException if {@code publicSize} is negative or larger than {@code trainSize}
     */
    public static TrainSplit of(int trainSize, int publicSize, long seed) {
        if (trainSize < 0) {
            throw new IllegalArgumentException("train size must be >= 0, got " + trainSize);
        }
        if (publicSize < 0 || publicSize > trainSize) {
            throw new IllegalArgumentException(
                    "public split size " + publicSize + " must be between 0 and the " + trainSize + " training images");
        }
        int[] order = PortableRandom.permutation(trainSize, new SplittableRandom(seed));
        int[] pub = Arrays.copyOfRange(order, 0, publicSize);
        int[] priv = Arrays.copyOfRange(order, publicSize, trainSize);
        Arrays.sort(pub);
        Arrays.sort(priv);
        return new TrainSplit(pub, priv);
    }

    @Override
    public int[] publicIndices() {
        return publicIndices.clone();
    }

    @Override
    public int[] privateIndices() {
        return privateIndices.clone();
    }

    public int publicSize() {
        return publicIndices.length;
    }

    public int privateSize() {
        return privateIndices.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainSplit other
                && Arrays.equals(publicIndices, other.publicIndices)
                && Arrays.equals(privateIndices, other.privateIndices);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(publicIndices) + Arrays.hashCode(privateIndices);
    }

    @Override
    public String toString() {
        return "TrainSplit[public=" + publicSize() + ", private=" + privateSize() + "]";
    }
}
