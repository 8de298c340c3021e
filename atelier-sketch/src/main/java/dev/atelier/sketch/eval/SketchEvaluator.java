package dev.atelier.sketch.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.atelier.core.params.ParamSet;
import dev.atelier.ml.nn.BlockParams;
import dev.atelier.ml.nn.Images;
import dev.atelier.sketch.style.SketchFormat;
import java.util.List;

/**
 * A trained {@link EvaluatorBlock} ready for inference: maps sketches to embeddings and style/garment
 * probabilities. Frozen (inference-mode BatchNorm), never used in any training loss.
 *
 * <p>Owns native memory: {@link #close()}. Methods are synchronized, so one instance may be shared,
 * but calls are serialized.
 */
public final class SketchEvaluator implements AutoCloseable {
    private static final int BATCH = 256;
    private final NDManager manager;
    private final EvaluatorBlock net;
    private final ParameterStore ps;

    private SketchEvaluator(NDManager manager, EvaluatorBlock net) {
        this.manager = manager;
        this.net = net;
        this.ps = new ParameterStore(manager, false);
    }

    /** Builds the network and loads {@code params} (as produced by {@link EvaluatorCache}). */
    public static SketchEvaluator load(ParamSet params) {
        NDManager m = NDManager.newBaseManager();
        try {
            EvaluatorBlock net = EvaluatorTrainer.initialized(m);
            int loaded = BlockParams.load(net, EvaluatorTrainer.PREFIX, params);
            int expected = BlockParams.parameters(net, EvaluatorTrainer.PREFIX).size();
            if (loaded != expected) {
                throw new IllegalArgumentException(
                        "evaluator parameters incomplete: " + loaded + " of " + expected + " tensors");
            }
            return new SketchEvaluator(m, net);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /**
     * The untrained network's parameters for {@code seed} (as {@link #load} takes them): the
     * starting point of {@link EvaluatorCache}'s training, and a cheap stand-in where a test needs an
     * embedding but not a meaningful one. Sets the engine's global seed.
     */
    public static ParamSet untrainedParams(long seed) {
        try (NDManager m = NDManager.newBaseManager()) {
            return BlockParams.toParamSet(EvaluatorTrainer.newNet(m, seed), EvaluatorTrainer.PREFIX);
        }
    }

    /**
     * Runs the evaluator on 32×32 sketches in [0,1] (1 = paper).
     *
     * @throws IllegalArgumentException if a sketch is not 1024 values or holds NaN/infinity
     */
    public synchronized Embedded embed(List<float[]> sketches) {
        int n = sketches.size();
        for (int i = 0; i < n; i++) {
            check(sketches.get(i), i);
        }
        float[][] emb = new float[n][];
        float[][] style = new float[n][];
        float[][] garment = new float[n][];
        for (int start = 0; start < n; start += BATCH) {
            int b = Math.min(BATCH, n - start);
            int[] idx = new int[b];
            for (int i = 0; i < b; i++) {
                idx[i] = start + i;
            }
            try (NDManager sm = manager.newSubManager()) {
                NDList out = net.forward(ps, new NDList(Images.batch(sm, sketches, idx)), false);
                copyRows(out.get(0).softmax(1), style, start);
                copyRows(out.get(1).softmax(1), garment, start);
                copyRows(out.get(2), emb, start);
            }
        }
        return new Embedded(emb, style, garment);
    }

    @Override
    public synchronized void close() {
        manager.close();
    }

    private static void copyRows(NDArray a, float[][] dst, int offset) {
        int rows = (int) a.getShape().get(0);
        int cols = (int) a.getShape().get(1);
        float[] flat = a.toFloatArray();
        for (int r = 0; r < rows; r++) {
            float[] row = new float[cols];
            System.arraycopy(flat, r * cols, row, 0, cols);
            dst[offset + r] = row;
        }
    }

    private static void check(float[] sketch, int i) {
        if (sketch == null || sketch.length != SketchFormat.SKETCH_PIXELS) {
            throw new IllegalArgumentException("sketch " + i + " must have " + SketchFormat.SKETCH_PIXELS
                    + " values (32x32), got " + (sketch == null ? "null" : sketch.length));
        }
        for (float v : sketch) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("sketch " + i + " holds a non-finite value " + v);
            }
        }
    }
}
