package dev.atelier.ml.data;

import java.util.Objects;

/**
 * Fashion-MNIST as loaded: the training and test sets (28x28 grayscale, labels 0..9 named by
 * {@link FashionMnist#CLASS_NAMES}) and a human-readable description of where they came from, for logs.
 *
 * <p>Thread-safety: immutable.
 */
public record FashionMnistData(ImageDataset train, ImageDataset test, String source) {

    public FashionMnistData {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(source, "source");
    }

    /** The standard public/private/test splits with the default public size and seed. */
    public DataSplits splits() {
        return splits(TrainSplit.DEFAULT_PUBLIC_SIZE, TrainSplit.DEFAULT_SEED);
    }

    /** Public/private/test splits with {@code publicSize} public training images. */
    public DataSplits splits(int publicSize, long seed) {
        return DataSplits.of(train, test, publicSize, seed);
    }
}
