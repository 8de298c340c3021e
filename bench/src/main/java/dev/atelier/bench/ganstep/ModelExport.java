package dev.atelier.bench.ganstep;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.core.params.DType;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.ml.nn.BlockParams;
import dev.atelier.ml.nn.Images;
import dev.atelier.ml.nn.layers.SpectralNormConv2d;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import dev.atelier.sketch.train.LossWeights;
import dev.atelier.sketch.train.SketchTrainer;
import dev.atelier.sketch.train.StepMetrics;
import dev.atelier.sketch.train.TrainerSettings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What the Java side hands the PyTorch side (file names and tensor names are the contract with
 * {@code bench/python/sketch_gan_step.py}): spectral-norm state, images, batch indices, reference
 * outputs on a fixed batch and {@code meta.json}. Pure functions of the model and settings.
 */
final class ModelExport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelExport() {}

    /** {@code <conv>.u [F,1]} of every spectrally normalised conv of the critic (a node-local buffer, not a parameter). */
    static ParamSet spectralState(SketchGan gan) {
        Map<Parameter, String> names = new IdentityHashMap<>();
        BlockParams.parameters(gan.discriminator(), SketchGan.DISC).forEach((n, p) -> names.put(p, n));
        ParamSet.Builder b = ParamSet.builder();
        List<SpectralNormConv2d> convs = new ArrayList<>();
        collect(gan.discriminator(), convs);
        for (SpectralNormConv2d c : convs) {
            Parameter weight = c.getDirectParameters().get("weight");
            String name = names.get(weight);
            float[] u = c.powerIterationVector();
            b.put(
                    name.substring(0, name.length() - ".weight".length()) + ".u",
                    Tensor.f32(new long[] {u.length, 1}, u));
        }
        return b.build();
    }

    private static void collect(Block block, List<SpectralNormConv2d> out) {
        if (block instanceof SpectralNormConv2d s) {
            out.add(s);
        }
        for (Pair<String, Block> c : block.getChildren()) {
            collect(c.getValue(), out);
        }
    }

    /** Images as {@code [N,1,32,32]} in [0,1] (28×28 zero-padded like {@link Images#to32}). */
    static Tensor images(List<float[]> imgs) {
        float[] all = new float[imgs.size() * 1024];
        for (int i = 0; i < imgs.size(); i++) {
            System.arraycopy(Images.to32(imgs.get(i)), 0, all, i * 1024, 1024);
        }
        return Tensor.f32(new long[] {imgs.size(), 1, 32, 32}, all);
    }

    /** The trainer's batch indices for {@code steps} steps of paired data, drawn by {@link SketchTrainer#sampleBatch} from its seed. */
    static Tensor indices(long seed, int steps, int batch, int n) {
        SplittableRandom rng = new SplittableRandom(seed);
        ByteBuffer buf = ByteBuffer.allocate(steps * batch * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int step = 0; step < steps; step++) {
            int[] idx = SketchTrainer.sampleBatch(rng, n, batch);
            if (idx.length != batch) {
                throw new IllegalStateException(
                        "the trainer draws " + idx.length + " examples per batch, expected " + batch);
            }
            for (int i : idx) {
                buf.putLong(i);
            }
        }
        buf.flip();
        return Tensor.of(DType.I64, new long[] {steps, batch}, buf);
    }

    /** Inference-mode outputs on a fixed batch: generator on garments, critic on the Gram stack of the sketches. */
    static ParamSet reference(SketchGan gan, List<float[]> garments, List<float[]> sketches, int[] rows, String tag) {
        try (NDManager sm = gan.manager().newSubManager()) {
            NDArray x = Images.batch(sm, garments, rows);
            NDArray y = Images.batch(sm, sketches, rows);
            NDArray gen = gan.generate(x, false);
            NDList critic = gan.criticize(gan.criticInput(gan.encode(y)), false);
            ParamSet.Builder b = ParamSet.builder();
            b.put(tag + ".x", BlockParams.toTensor(x));
            b.put(tag + ".gen", BlockParams.toTensor(gen));
            b.put(tag + ".critic_score", BlockParams.toTensor(critic.get(0)));
            b.put(tag + ".critic_feature", BlockParams.toTensor(critic.get(1)));
            return b.build();
        }
    }

    /** {@code meta.json}: the run's sizes, optimiser and loss settings, weight counts and Java's first-step losses. */
    static void writeMeta(
            Path file,
            GanStepOptions o,
            boolean paired,
            TrainerSettings settings,
            SketchGanConfig config,
            SketchGan gan,
            StepMetrics first)
            throws IOException {
        ObjectNode meta = JSON.createObjectNode();
        meta.put("batch", settings.batchSize());
        meta.put("warmup", o.warmup());
        meta.put("steps", o.steps());
        meta.put("threads", o.threads());
        meta.put("tolerance", o.tolerance());
        meta.put("paired", paired);
        meta.put("cache_features", settings.cacheFeatures());
        meta.put("gen_lr", settings.genLr());
        meta.put("disc_lr", settings.discLr());
        meta.put("beta1", settings.beta1());
        meta.put("beta2", settings.beta2());
        meta.put("adam_epsilon", 1e-8f);
        LossWeights w = settings.weights();
        ObjectNode wn = meta.putObject("weights");
        wn.put("adversarial", w.adversarial());
        wn.put("gram", w.gram());
        wn.put("semantic", w.semantic());
        wn.put("content", w.content());
        wn.put("l1", w.l1());
        wn.put("decorr", w.decorr());
        ObjectNode cn = meta.putObject("config");
        config.toMap().forEach(cn::put);
        meta.put("generator_weights", gan.generatorWeightCount());
        meta.put("critic_weights", gan.discriminatorWeightCount());
        ObjectNode fm = meta.putObject("java_step1");
        first.toMap().forEach(fm::put);
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(meta));
    }
}
