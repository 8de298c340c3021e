package dev.atelier.bench.ganstep;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.ml.classifier.ClassifierWorkload;
import dev.atelier.ml.data.FashionMnist;
import dev.atelier.ml.data.ImageDataset;
import dev.atelier.ml.nn.BlockParams;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import dev.atelier.sketch.style.Styles;
import dev.atelier.sketch.train.GramBalance;
import dev.atelier.sketch.train.SketchPairs;
import dev.atelier.sketch.train.SketchTrainer;
import dev.atelier.sketch.train.StepMetrics;
import dev.atelier.sketch.train.TrainerSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Java/DJL side: builds the designer data and model, exports everything the PyTorch side
 * needs into {@code dir} ({@link ModelExport}), then runs the check step, the warm-up and the timed
 * steps. The DJL thread settings must be set before this class first touches the engine.
 */
final class JavaSide {
    /**
     * What the Java side measured.
     *
     * @param stats            per-step wall milliseconds of the timed steps
     * @param threads          PyTorch intra-op threads the engine really uses
     * @param interopThreads   PyTorch inter-op threads
     * @param engineVersion    libtorch version of DJL's engine
     * @param generatorWeights trainable generator weights
     * @param criticWeights    trainable critic weights
     */
    record Result(
            StepStats stats,
            int threads,
            int interopThreads,
            String engineVersion,
            long generatorWeights,
            long criticWeights) {}

    private JavaSide() {}

    static Result run(GanStepOptions o, Path dir) throws Exception {
        Engine engine = Engine.getInstance();
        int threads = JniUtils.getNumThreads();
        int interop = JniUtils.getNumInteropThreads();
        System.err.printf(
                Locale.ROOT,
                "ganstep: DJL %s, PyTorch %s engine, %d intra-op / %d inter-op threads, export in %s%n",
                Engine.getDjlVersion(),
                engine.getVersion(),
                threads,
                interop,
                dir);

        // Data: Fashion-MNIST fixture garments drawn in the contour style (paired).
        ImageDataset train = FashionMnist.loadFixture().train();
        List<float[]> garments = new ArrayList<>();
        List<float[]> sketches = new ArrayList<>();
        for (int i = 0; i < o.examples(); i++) {
            float[] g = train.image(i % train.size());
            garments.add(g);
            sketches.add(Styles.CONTOUR.render(g));
        }
        SketchPairs data = SketchPairs.paired(garments, sketches);

        // Model: seeded untrained FeatureNet encoder (as in the tests), default config.
        ParamSet encoderParams;
        try (NDManager m = NDManager.newBaseManager()) {
            encoderParams = BlockParams.toParamSet(ClassifierWorkload.newModel(m, 11), "net");
        }
        SketchGanConfig config = SketchGanConfig.defaults();
        // The PyTorch replay sums the Gram scales unweighted: pin that balance (a per-designer constant
        // factor, so the step's cost is the same as with the default GramBalance.SPREAD).
        TrainerSettings settings = TrainerSettings.defaults(o.seed()).withGramBalance(GramBalance.NONE);
        int batch = settings.batchSize();
        int totalSteps = 1 + o.warmup() + o.steps();
        try (SketchTrainer trainer = SketchTrainer.builder()
                .setModel(SketchGan.create(encoderParams, config, o.seed()))
                .setData(data)
                .optSettings(settings)
                .build()) {
            SketchGan gan = trainer.model();

            // Export: weights, spectral-norm state, data, batch indices, reference outputs.
            gan.save(dir.resolve("model.safetensors"), Map.of("bench", "ganstep"));
            Safetensors.write(ModelExport.spectralState(gan), dir.resolve("spectral.safetensors"));
            int[] check = new int[batch];
            for (int i = 0; i < batch; i++) {
                check[i] = i;
            }
            ParamSet.Builder d = ParamSet.builder();
            d.put("garments", ModelExport.images(garments));
            d.put("sketches", ModelExport.images(sketches));
            d.put("indices", ModelExport.indices(settings.seed(), totalSteps, batch, data.size()));
            ModelExport.reference(gan, garments, sketches, check, "init")
                    .asMap()
                    .forEach(d::put);
            Safetensors.write(d.build(), dir.resolve("data.safetensors"));

            // First step (reproduced by Python as a check), warm-up, timed steps.
            StepMetrics[] first = new StepMetrics[1];
            trainer.trainSteps(1, m -> first[0] = m);
            ParamSet after = gan.generatorParams()
                    .merge(gan.discriminatorParams())
                    .merge(ModelExport.spectralState(gan))
                    .merge(ModelExport.reference(gan, garments, sketches, check, "step1"));
            Safetensors.write(after, dir.resolve("step1.safetensors"));
            for (int i = 0; i < o.warmup(); i++) {
                trainer.trainSteps(1, null);
            }
            double[] ms = new double[o.steps()];
            for (int i = 0; i < o.steps(); i++) {
                long t0 = System.nanoTime();
                trainer.trainSteps(1, null);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            StepStats stats = StepStats.of(ms);
            ModelExport.writeMeta(dir.resolve("meta.json"), o, data.paired(), settings, config, gan, first[0]);
            System.err.printf(
                    Locale.ROOT,
                    "ganstep: Java/DJL %.1f ms median per step (%d timed after %d+1 warm-up)%n",
                    stats.median(),
                    o.steps(),
                    o.warmup());
            return new Result(
                    stats,
                    threads,
                    interop,
                    engine.getVersion(),
                    gan.generatorWeightCount(),
                    gan.discriminatorWeightCount());
        }
    }
}
