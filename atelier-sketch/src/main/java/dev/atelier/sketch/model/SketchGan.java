package dev.atelier.sketch.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.atelier.core.filter.GlobFilter;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.ml.nn.BlockParams;
import dev.atelier.ml.nn.layers.AdaIN;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One designer's FedGAI sketch GAN: the frozen {@link SketchEncoder}, the AdaIN_SD style card, the
 * MRFM {@link SketchGenerator} and the Gram-statistics {@link StyleDiscriminator}.
 *
 * <pre>
 *   garment x [B,1,N,N] in [-1,1] → encoder → e_1..e_K → AdaIN(e_s; card_s) → generator → sketch [B,1,N,N] in [-1,1]
 *   sketch → encoder → Gram_1..Gram_K → resize/concat [B,K,S,S] → critic → (score map, feature)
 * </pre>
 * N is the canvas of {@link SketchGanConfig#canvas()} (32 by default). Parameter names: {@value #GEN}{@code .**} (generator, node-local), {@value #DISC}{@code .**}
 * (critic; {@link #SHARED_DISC} selects the shared part), {@value #ENCODER}{@code .**} (frozen
 * encoder, only in checkpoints) and {@code style.**} (the {@link StyleCard}).
 *
 * <p>Owns native memory ({@link #close()}). Not thread-safe; like every DJL training in this JVM,
 * backward passes of different models must not overlap.
 */
public final class SketchGan implements AutoCloseable {
    public static final String GEN = "gen";
    public static final String DISC = "disc";
    public static final String ENCODER = "encoder";
    /** The critic's personal designer projection ({@link SketchGanConfig#criticProjection()}): it never leaves her node. */
    public static final String DESIGNER_PROJECTION = DISC + "." + StyleDiscriminator.DESIGNER + ".**";

    /**
     * What the federation shares of a designer's model: the critic without its BatchNorm layers and
     * without her designer projection ({@link StyleDiscriminator#DESIGNER}, only in models with
     * {@link SketchGanConfig#criticProjection()}).
     */
    public static final GlobFilter SHARED_DISC =
            GlobFilter.of("include " + DISC + ".**", "exclude **.bn.**", "exclude " + DESIGNER_PROJECTION);

    /** {@link #SHARED_DISC} with the BatchNorm layers (weights and running statistics): an experiment, off by default. */
    public static final GlobFilter SHARED_DISC_WITH_BN =
            GlobFilter.of("include " + DISC + ".**", "exclude " + DESIGNER_PROJECTION);
    /** Checkpoint format tag (safetensors metadata {@code format}). */
    public static final String FORMAT = "atelier-sketch-gan/1";

    private static final long GEN_SEED_SALT = 0x6e_6e_6eL;

    private final NDManager manager;
    private final SketchGanConfig config;
    private final SketchEncoder encoder;
    private final SketchGenerator generator;
    private final StyleDiscriminator discriminator;
    private final ParameterStore store;
    private StyleCard card;
    private ToneCurve tone;
    private NDArray[] cardMeans;
    private NDArray[] cardStds;

    private SketchGan(Function<NDManager, SketchEncoder> encoderFactory, SketchGanConfig config, long seed) {
        this.manager = NDManager.newBaseManager();
        try {
            this.config = config;
            this.encoder = encoderFactory.apply(manager);
            int[] ch = encoder.channels();
            int[] sizes = encoder.sizes(config.canvas());
            if (!GramMatrix.compatible(ch, config.gramSize())) {
                throw new IllegalArgumentException("Gram size " + config.gramSize()
                        + " cannot be reached from encoder channels " + Arrays.toString(ch));
            }
            this.discriminator = newDiscriminator(manager, ch.length, config, seed);
            Engine.getInstance().setRandomSeed((int) (seed ^ GEN_SEED_SALT));
            this.generator = new SketchGenerator(ch, config);
            Shape[] inputs = new Shape[ch.length];
            for (int s = 0; s < ch.length; s++) {
                inputs[s] = new Shape(2, ch[s], sizes[s], sizes[s]);
            }
            generator.initialize(manager, DataType.FLOAT32, inputs);
            this.store = new ParameterStore(manager, false);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * A fresh model.
     *
     * @param encoderFactory builds the frozen encoder in the model's manager, e.g.
     *                       {@code m -> new FeatureNetEncoder(m, publicNet, "net")}
     * @param seed           seeds weight initialisation (the critic's initial weights depend only on
     *                       {@code seed}, the encoder's scale count and {@code config}, so every
     *                       designer and the coordinator agree on them)
     */
    public static SketchGan create(
            Function<NDManager, SketchEncoder> encoderFactory, SketchGanConfig config, long seed) {
        return new SketchGan(encoderFactory, Objects.requireNonNull(config, "config"), seed);
    }

    /**
     * A fresh model on the given encoder weights: the public feature network (FeatureNet weights
     * under the prefix {@code net}) or a torchvision VGG-16 state dict ({@link SketchEncoders#factory}).
     */
    public static SketchGan create(ParamSet encoderWeights, SketchGanConfig config, long seed) {
        return create(SketchEncoders.factory(encoderWeights, "encoder weights"), config, seed);
    }

    private static StyleDiscriminator newDiscriminator(
            NDManager manager, int scales, SketchGanConfig config, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        StyleDiscriminator d = new StyleDiscriminator(config);
        d.initialize(manager, DataType.FLOAT32, new Shape(2, scales, config.gramSize(), config.gramSize()));
        return d;
    }

    /**
     * The shared critic parameters every model created with the same arguments starts from: the
     * federation's initial global model, computable without an encoder.
     */
    public static ParamSet initialSharedDiscriminator(int encoderScales, SketchGanConfig config, long seed) {
        try (NDManager m = NDManager.newBaseManager()) {
            return SHARED_DISC.process(BlockParams.toParamSet(newDiscriminator(m, encoderScales, config, seed), DISC));
        }
    }

    public SketchGanConfig config() {
        return config;
    }

    public SketchEncoder encoder() {
        return encoder;
    }

    public SketchGenerator generator() {
        return generator;
    }

    public StyleDiscriminator discriminator() {
        return discriminator;
    }

    /** The parameter store to pass to the blocks' forward calls. */
    public ParameterStore store() {
        return store;
    }

    /** The manager owning the weights; per-step work belongs in a sub-manager of it. */
    public NDManager manager() {
        return manager;
    }

    // ---- style card -------------------------------------------------------------------------

    /** The current style card, or null before one is set. */
    public StyleCard styleCard() {
        return card;
    }

    /** Replaces the style card used by AdaIN_SD (e.g. a blend of own and federation cards). */
    public void setStyleCard(StyleCard newCard) {
        if (!Arrays.equals(newCard.channels(), encoder.channels())) {
            throw new IllegalArgumentException("style card channels " + Arrays.toString(newCard.channels())
                    + " do not match the encoder's " + Arrays.toString(encoder.channels()));
        }
        closeCard();
        int k = newCard.scales();
        cardMeans = new NDArray[k];
        cardStds = new NDArray[k];
        for (int s = 0; s < k; s++) {
            cardMeans[s] = manager.create(newCard.mean(s));
            cardStds[s] = manager.create(newCard.std(s));
        }
        card = newCard;
    }

    /** Computes a style card from real sketches (32×32 in [0,1]): encoder channel statistics pooled over all of them. */
    public StyleCard computeStyleCard(List<float[]> sketches) {
        return StyleCards.compute(this, sketches);
    }

    // ---- tone curve -------------------------------------------------------------------------

    /** Her tone curve, applied by {@link #generate(float[][])}; null = none (the generator's own tones). */
    public ToneCurve toneCurve() {
        return tone;
    }

    /** Sets (or with null removes) the tone curve {@link #generate(float[][])} applies. */
    public void setToneCurve(ToneCurve curve) {
        tone = curve;
    }

    /**
     * Fits her tone curve ({@link ToneCurve#fit}) from what the generator draws now for her own
     * training garments and from her own sketches, sets it and returns it. Call after training:
     * every later change of the generator's weights makes it stale.
     */
    public ToneCurve fitToneCurve(List<float[]> herGarments, List<float[]> herSketches) {
        ToneCurve curve =
                ToneCurve.fit(Arrays.asList(Generation.run(this, herGarments.toArray(new float[0][]))), herSketches);
        tone = curve;
        return curve;
    }

    private void closeCard() {
        if (cardMeans != null) {
            Arrays.stream(cardMeans).forEach(NDArray::close);
            Arrays.stream(cardStds).forEach(NDArray::close);
        }
    }

    // ---- forward pieces (used by the trainer) -----------------------------------------------

    /**
     * Encoder features of {@code x [B,1,N,N]} in [-1,1], finest first ({@code N, N/2, N/4, N/8}).
     * The default encoder pads by edge replication, not zeros ({@link FeatureNetEncoder}), so the
     * canvas border is no false edge.
     */
    public NDList encode(NDArray x) {
        return encoder.features(x);
    }

    /** AdaIN_SD: every scale normalised per instance and channel, re-scaled with the style card. */
    public NDList stylise(NDList features) {
        if (card == null) {
            throw new IllegalStateException("no style card set: call setStyleCard or computeStyleCard first");
        }
        NDList out = new NDList(features.size());
        for (int s = 0; s < features.size(); s++) {
            out.add(AdaIN.apply(features.get(s), cardMeans[s], cardStds[s]));
        }
        return out;
    }

    /** Generator output {@code [B,1,32,32]} in [-1,1] for garments {@code x} in [-1,1]. */
    public NDArray generate(NDArray x, boolean training) {
        return generator.forward(store, stylise(encode(x)), training).singletonOrThrow();
    }

    /** The critic's input for encoder features of sketches: {@code [B, K, S, S]} Gram stack. */
    public NDArray criticInput(NDList sketchFeatures) {
        return GramMatrix.stack(GramMatrix.ofAll(sketchFeatures), config.gramSize());
    }

    /** Critic on a Gram stack: {@code NDList(score [B,1,h,w], feature [B,D])}. */
    public NDList criticize(NDArray criticInput, boolean training) {
        return discriminator.forward(store, new NDList(criticInput), training);
    }

    /**
     * Sketches for garments, in inference mode: inputs on the model's canvas (N×N; at 32 also
     * 28×28) in [0,1] (0 = background), outputs N×N in [0,1] (1 = paper), through her tone curve
     * when the model has one ({@link #toneCurve()}).
     */
    public float[][] generate(float[][] garments) {
        float[][] out = Generation.run(this, garments);
        return tone == null ? out : tone.applyInPlace(out);
    }

    // ---- parameters ---------------------------------------------------------------------------

    public ParamSet generatorParams() {
        return BlockParams.toParamSet(generator, GEN);
    }

    /** Every critic parameter, BatchNorm included (node-local checkpointing, centralized baselines). */
    public ParamSet discriminatorParams() {
        return BlockParams.toParamSet(discriminator, DISC);
    }

    /** The shared part of the critic: {@link #SHARED_DISC} applied to {@link #discriminatorParams()}. */
    public ParamSet sharedDiscriminatorParams() {
        return SHARED_DISC.process(discriminatorParams());
    }

    /** Loads any subset of {@code disc.**} (e.g. the round's global shared critic); other names are errors. */
    public int loadDiscriminator(ParamSet params) {
        return BlockParams.load(discriminator, DISC, params);
    }

    public int loadGenerator(ParamSet params) {
        return BlockParams.load(generator, GEN, params);
    }

    /** Name → parameter of the generator (for its optimizer). */
    public Map<String, Parameter> generatorParameters() {
        return BlockParams.parameters(generator, GEN);
    }

    /** Name → parameter of the critic (for its optimizer and the proximal term). */
    public Map<String, Parameter> discriminatorParameters() {
        return BlockParams.parameters(discriminator, DISC);
    }

    /** Number of trainable generator weights (BatchNorm running statistics excluded). */
    public long generatorWeightCount() {
        return count(generatorParameters());
    }

    /** Number of trainable critic weights (BatchNorm running statistics excluded). */
    public long discriminatorWeightCount() {
        return count(discriminatorParameters());
    }

    private static long count(Map<String, Parameter> params) {
        return params.values().stream()
                .filter(Parameter::requiresGradient)
                .mapToLong(p -> p.getArray().size())
                .sum();
    }

    // ---- checkpoints --------------------------------------------------------------------------

    /**
     * Writes the whole local model (encoder, generator, critic with BatchNorm, style card) as one
     * safetensors file; see {@link SketchGanCheckpoint} for the layout. Optimizer state is not
     * saved: a loaded model generates, and training restarts its optimizers.
     *
     * @param extra metadata to store alongside (e.g. the designer's name)
     */
    public void save(Path file, Map<String, String> extra) throws IOException {
        SketchGanCheckpoint.save(this, file, extra);
    }

    /** Reads a model written by {@link #save}; throws naming the file when it is not one. */
    public static SketchGan load(Path file) throws IOException {
        return SketchGanCheckpoint.load(file);
    }

    /** The architecture settings (canvas included) of a checkpoint written by {@link #save}, without loading it. */
    public static SketchGanConfig readConfig(Path file) throws IOException {
        try {
            return SketchGanConfig.fromMap(SketchGanCheckpoint.configEntries(readMetadata(file)));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** The metadata of a checkpoint written by {@link #save}. */
    public static Map<String, String> readMetadata(Path file) throws IOException {
        return Safetensors.readWithMetadata(file).metadata();
    }

    @Override
    public void close() {
        manager.close();
    }
}
