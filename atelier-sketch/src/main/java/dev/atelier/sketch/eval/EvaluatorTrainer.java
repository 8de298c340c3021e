package dev.atelier.sketch.eval;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import dev.atelier.ml.nn.BlockParams;
import dev.atelier.ml.nn.Images;
import dev.atelier.ml.nn.ParamOptimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains a fresh {@link EvaluatorBlock} on reference renderings: loss = cross-entropy(style) +
 * cross-entropy(garment), Adam with cosine decay, uniformly sampled batches. Each batch of B reference
 * sketches is followed by {@code max(1, B/8)} {@link NonSketches} labelled {@link EvaluatorBlock#NONE}
 * (about as frequent as one style); they enter the style loss only, since they have no garment class.
 *
 * <p>Each step runs in its own NDManager sub-manager and holds the JVM's single gradient collector,
 * so it must not run concurrently with other DJL training.
 */
final class EvaluatorTrainer {
    /** Name prefix of the evaluator's parameters in its {@link dev.atelier.core.params.ParamSet}. */
    static final String PREFIX = "evaluator";

    private EvaluatorTrainer() {}

    /** A freshly initialised network; identical for equal seeds. Sets the engine's global seed. */
    static EvaluatorBlock newNet(NDManager manager, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        return initialized(manager);
    }

    /** An initialised network with arbitrary weights, to be overwritten by loading (leaves the engine seed alone). */
    static EvaluatorBlock initialized(NDManager manager) {
        EvaluatorBlock net = new EvaluatorBlock();
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, EvaluatorBlock.SIZE, EvaluatorBlock.SIZE));
        return net;
    }

    /**
     * Trains {@code net} in place.
     *
     * @param photos 28×28 garment photos (public split) for the photo kinds of {@link NonSketches}
     * @param onStep called after each step with the step number and the step's loss; may be null
     * @return mean loss over the last 10 % of steps
     */
    static double train(
            EvaluatorBlock net,
            NDManager manager,
            StyledSketches data,
            List<float[]> photos,
            EvaluatorSettings s,
            StepListener onStep) {
        Map<String, Parameter> params = BlockParams.parameters(net, "");
        ParamOptimizer opt = ParamOptimizer.adamCosine(params, s.lr(), s.lr() / 100f, s.steps());
        ParameterStore ps = new ParameterStore(manager, false);
        Loss ce = Loss.softmaxCrossEntropyLoss();
        SplittableRandom rng = new SplittableRandom(s.seed());
        int tail = Math.max(1, s.steps() / 10);
        double tailLoss = 0;
        for (int step = 0; step < s.steps(); step++) {
            int b = Math.min(s.batchSize(), data.size());
            int o = Math.max(1, b / 8);
            List<float[]> images = new ArrayList<>(b + o);
            int[] idx = new int[b + o];
            int[] ys = new int[b + o];
            int[] yg = new int[b];
            for (int i = 0; i < b; i++) {
                int k = rng.nextInt(data.size());
                images.add(data.sketches().get(k));
                ys[i] = data.styles()[k];
                yg[i] = data.garments()[k];
            }
            for (int i = b; i < b + o; i++) {
                images.add(NonSketches.sample(rng, photos.get(rng.nextInt(photos.size()))));
                ys[i] = EvaluatorBlock.NONE;
            }
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            float lossValue;
            try (NDManager sm = manager.newSubManager()) {
                NDArray x = Images.batch(sm, images, idx);
                opt.zeroGradients();
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDList out = net.forward(ps, new NDList(x), true);
                    NDArray garmentLogits = out.get(1).get(new NDIndex("0:" + b));
                    NDArray loss = ce.evaluate(new NDList(sm.create(ys)), new NDList(out.get(0)))
                            .add(ce.evaluate(new NDList(sm.create(yg)), new NDList(garmentLogits)));
                    lossValue = loss.getFloat();
                    gc.backward(loss);
                }
                opt.step();
            }
            if (step >= s.steps() - tail) {
                tailLoss += lossValue;
            }
            if (onStep != null) {
                onStep.onStep(step + 1, lossValue);
            }
        }
        return tailLoss / tail;
    }

    /** Progress callback. */
    @FunctionalInterface
    interface StepListener {
        void onStep(int step, float loss);
    }
}
