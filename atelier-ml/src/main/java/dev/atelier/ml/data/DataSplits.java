package dev.atelier.ml.data;

import java.util.Objects;

/**
 * The three data sets every Atelier run uses: the public training part (server-side backbone
 * pretraining), the private training part (partitioned over the nodes, never pooled) and the test set
 * (evaluation only). See {@link TrainSplit} for how the training set is divided.
 *
 * <p>Thread-safety: immutable.
 */
public record DataSplits(ImageDataset publicTrain, ImageDataset privateTrain, ImageDataset test, TrainSplit split) {

    public DataSplits {
        Objects.requireNonNull(publicTrain, "publicTrain");
        Objects.requireNonNull(privateTrain, "privateTrain");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(split, "split");
    }

    /** Splits {@code train} with {@link TrainSplit#of} and pairs the parts with {@code test}. */
    public static DataSplits of(ImageDataset train, ImageDataset test, int publicSize, long seed) {
        TrainSplit split = TrainSplit.of(train.size(), publicSize, seed);
        return new DataSplits(train.subset(split.publicIndices()), train.subset(split.privateIndices()), test, split);
    }
}
