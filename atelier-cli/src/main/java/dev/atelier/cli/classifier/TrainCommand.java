package dev.atelier.cli.classifier;

import ai.djl.ndarray.NDManager;
import dev.atelier.cli.common.DataOptions;
import dev.atelier.cli.common.RunsDirOption;
import dev.atelier.core.params.Safetensors;
import dev.atelier.core.util.Progress;
import dev.atelier.ml.classifier.ClassifierWorkload;
import dev.atelier.ml.data.DatasetViews;
import dev.atelier.ml.data.ImageDataset;
import dev.atelier.ml.nn.BlockParams;
import dev.atelier.ml.nn.FeatureNet;
import dev.atelier.ml.train.SupervisedTrainer;
import dev.atelier.ml.train.TrainSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code atelier train classifier}: the centralized baseline on the pooled private split. */
@Command(
        name = "classifier",
        mixinStandardHelpOptions = true,
        description = "Centralized baseline: trains the same classifier on the pooled private split (no federation).")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Option(names = "--steps", defaultValue = "4000", description = "Optimizer steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch-size", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.001", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    RunsDirOption runs;

    @Override
    public Integer call() throws Exception {
        var splits = data.load().splits();
        ImageDataset train = splits.privateTrain();
        ImageDataset test = splits.test();
        Path dir = runs.next("classifier-central");
        try (NDManager m = NDManager.newBaseManager()) {
            FeatureNet net = ClassifierWorkload.newModel(m, seed);
            Progress p = Progress.start("central training on " + train.size() + " images", steps);
            long t0 = System.nanoTime();
            var r = SupervisedTrainer.train(
                    net,
                    m,
                    DatasetViews.images(train),
                    train.labels(),
                    new TrainSettings(steps, batchSize, (float) lr, 0f, seed, true),
                    s -> p.step());
            double acc = SupervisedTrainer.accuracy(net, m, DatasetViews.images(test), test.labels(), 500);
            p.finish(String.format(Locale.ROOT, "loss %.3f", r.loss()));
            double seconds = (System.nanoTime() - t0) / 1e9;
            Files.createDirectories(dir.resolve("checkpoints"));
            Safetensors.write(
                    BlockParams.toParamSet(net, ClassifierWorkload.PREFIX),
                    Map.of("format", "atelier-checkpoint-v1", "test_accuracy", Double.toString(acc)),
                    dir.resolve("checkpoints/final.safetensors"));
            Files.writeString(
                    dir.resolve("metrics.jsonl"),
                    String.format(
                            Locale.ROOT,
                            "{\"steps\":%d,\"train_loss\":%.5f,\"test_accuracy\":%.5f,\"seconds\":%.1f}%n",
                            steps,
                            r.loss(),
                            acc,
                            seconds));
            System.out.printf(
                    Locale.ROOT,
                    "central test accuracy %.4f (%d steps x %d, %.0fs); written to %s%n",
                    acc,
                    steps,
                    batchSize,
                    seconds,
                    dir);
        }
        return 0;
    }
}
