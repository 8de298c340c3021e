package dev.atelier.ml.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import dev.atelier.core.util.Cancellation;
import dev.atelier.ml.nn.BlockParams;
import dev.atelier.ml.nn.Images;
import dev.atelier.ml.nn.ParamOptimizer;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Cross-entropy training and evaluation of an image classifier block on in-memory images.
 *
 * <p>Each step runs in its own NDManager sub-manager (DJL leaks otherwise) and takes the JVM's
 * single gradient collector, so callers must not train two models concurrently.
 */
public final class SupervisedTrainer {
    private SupervisedTrainer() {}

    /** Mean loss and accuracy over the steps of one call. */
    public record Result(double loss, double accuracy, int examples) {}

    /**
     * Trains {@code block} in place.
     *
     * @param onStep called after every step with the step number (progress bars), may be null
     */
    public static Result train(
            Block block, NDManager manager, List<float[]> images, int[] labels, TrainSettings s, IntConsumer onStep) {
        return train(block, manager, images, labels, s, onStep, Cancellation.none());
    }

    /**
     * As {@link #train(Block, NDManager, List, int[], TrainSettings, IntConsumer)}, checking
     * {@code cancel} before every step: a cancelled token stops the loop between steps with a
     * {@link java.util.concurrent.CancellationException} (the steps already taken stay applied).
     */
    public static Result train(
            Block block,
            NDManager manager,
            List<float[]> images,
            int[] labels,
            TrainSettings s,
            IntConsumer onStep,
            Cancellation cancel) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no training images");
        }
        Map<String, Parameter> params = BlockParams.parameters(block, "");
        ParamOptimizer opt = s.cosineDecay()
                ? ParamOptimizer.adamCosine(params, s.lr(), s.lr() / 100f, s.steps())
                : ParamOptimizer.adam(params, s.lr(), 0.9f, 0.999f);
        ParameterStore ps = new ParameterStore(manager, false);
        Loss ce = Loss.softmaxCrossEntropyLoss();
        SplittableRandom rng = new SplittableRandom(s.seed());
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        try (NDManager round = manager.newSubManager();
                ProximalTerm prox = s.proximalMu() > 0 ? ProximalTerm.atCurrentValues(params, round) : null) {
            for (int step = 0; step < s.steps(); step++) {
                cancel.throwIfCancelled();
                int[] idx = new int[Math.min(s.batchSize(), images.size())];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = rng.nextInt(images.size());
                }
                try (NDManager sm = round.newSubManager()) {
                    NDArray x = Images.batch(sm, images, idx);
                    int[] y = new int[idx.length];
                    for (int i = 0; i < idx.length; i++) {
                        y[i] = labels[idx[i]];
                    }
                    NDArray yt = sm.create(y);
                    opt.zeroGradients();
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = block.forward(ps, new NDList(x), true).singletonOrThrow();
                        NDArray loss = ce.evaluate(new NDList(yt), new NDList(logits));
                        lossSum += loss.getFloat() * idx.length;
                        gc.backward(prox == null ? loss : loss.add(prox.compute(s.proximalMu(), loss)));
                        correct += logits.argMax(1)
                                .toType(ai.djl.ndarray.types.DataType.INT32, false)
                                .eq(yt)
                                .countNonzero()
                                .getLong();
                    }
                    opt.step();
                    seen += idx.length;
                }
                if (onStep != null) {
                    onStep.accept(step + 1);
                }
            }
        }
        return new Result(
                seen == 0 ? Double.NaN : lossSum / seen, seen == 0 ? Double.NaN : (double) correct / seen, (int) seen);
    }

    /** Top-1 accuracy of {@code block} (inference mode) on the given images. */
    public static double accuracy(Block block, NDManager manager, List<float[]> images, int[] labels, int batchSize) {
        return evaluate(block, manager, images, labels, batchSize).accuracy();
    }

    /**
     * Mean cross-entropy loss and top-1 accuracy of {@code block} (inference mode) on the given
     * images; NaN for both when there are none. {@code examples} is the image count.
     */
    public static Result evaluate(Block block, NDManager manager, List<float[]> images, int[] labels, int batchSize) {
        ParameterStore ps = new ParameterStore(manager, false);
        Loss ce = Loss.softmaxCrossEntropyLoss();
        long correct = 0;
        double lossSum = 0;
        for (int start = 0; start < images.size(); start += batchSize) {
            int n = Math.min(batchSize, images.size() - start);
            int[] idx = new int[n];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = start + i;
                y[i] = labels[start + i];
            }
            try (NDManager sm = manager.newSubManager()) {
                NDArray logits = block.forward(ps, new NDList(Images.batch(sm, images, idx)), false)
                        .singletonOrThrow();
                NDArray yt = sm.create(y);
                lossSum += ce.evaluate(new NDList(yt), new NDList(logits)).getFloat() * (double) n;
                correct += logits.argMax(1)
                        .toType(ai.djl.ndarray.types.DataType.INT32, false)
                        .eq(yt)
                        .countNonzero()
                        .getLong();
            }
        }
        int total = images.size();
        return total == 0
                ? new Result(Double.NaN, Double.NaN, 0)
                : new Result(lossSum / total, (double) correct / total, total);
    }
}
