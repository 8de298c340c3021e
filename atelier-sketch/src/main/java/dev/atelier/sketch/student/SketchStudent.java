package dev.atelier.sketch.student;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.ml.nn.BlockParams;
import dev.atelier.ml.nn.Images;
import dev.atelier.sketch.model.DecoderOutputs;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGenerator;
import dev.atelier.sketch.model.ToneCurve;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The edge student of a designer's sketch GAN: an encoder, the teacher's AdaIN_SD style card
 * ({@link SketchGan#stylise}) and a small depthwise-separable decoder ({@link SketchGenerator} with
 * {@link SeparableConv2d#KIND}) that replaces the teacher's MRFM decoder. The encoder is the
 * teacher's frozen one ({@link SketchGan#encode}), or, for large canvases and heavy encoders where
 * the encoder dominates the time, the student's own depthwise-separable {@link StudentEncoder}
 * distilled from it ({@link #createWithEncoder}).
 *
 * <pre>
 *   garment x [B,1,N,N] in [-1,1] → encoder (teacher's or own) → teacher.stylise (style card) → separable decoder → sketch [B,1,N,N]
 * </pre>
 * Parameter names: {@value #PREFIX}{@code .**} (e.g. {@code student.block1.conv.dw.weight}) and,
 * with an own encoder, {@value StudentEncoder#PREFIX}{@code .**}. A saved student ({@link #save})
 * holds only these tensors plus metadata ({@code own_encoder}); the style card (and the teacher's
 * encoder, when the student has none) come from the designer's teacher checkpoint, which
 * {@link #load} binds to.
 *
 * <p>Owns the decoder's native memory ({@link #close()}); borrows the teacher, which must outlive
 * it. Not thread-safe.
 */
public final class SketchStudent implements AutoCloseable {
    public static final String PREFIX = "student";
    /** Checkpoint format tag (safetensors metadata {@code format}). */
    public static final String FORMAT = "atelier-sketch-student/1";

    private static final long SEED_SALT = 0x57_0d_e7L;
    private static final int BATCH = 64;

    private final SketchGan teacher;
    private final StudentConfig config;
    private final NDManager manager;
    private final Block decoder;
    private final SketchGenerator fullDecoder;
    private final SubPixelDecoder subPixelDecoder;
    private final int skipped;
    private final StudentEncoder encoder;
    private final ParameterStore store;
    private final CoarseStyle coarseStyle;
    private ToneCurve tone;

    private SketchStudent(SketchGan teacher, StudentConfig config, long seed, boolean ownEncoder) {
        this.teacher = Objects.requireNonNull(teacher, "teacher");
        this.config = Objects.requireNonNull(config, "config");
        this.manager = NDManager.newBaseManager();
        try {
            int[] all = teacher.encoder().channels();
            skipped = config.skippedScales();
            if (all.length - skipped < 2) {
                throw new IllegalArgumentException(
                        "a sub-pixel student needs an encoder with at least 3 scales, got " + all.length);
            }
            int[] ch = Arrays.copyOfRange(all, skipped, all.length);
            int[] sizes =
                    Arrays.copyOfRange(teacher.encoder().sizes(teacher.config().canvas()), skipped, all.length);
            Engine.getInstance().setRandomSeed((int) (seed ^ SEED_SALT));
            int[] widths = new int[ch.length];
            int[] downs = new int[ch.length];
            for (int s = 0; s < ch.length; s++) {
                widths[s] = config.width(ch[s]);
                downs[s] = config.down(ch[s]);
            }
            if (config.subPixel()) {
                subPixelDecoder = new SubPixelDecoder(ch, widths, downs, config.leakySlope(), SeparableConv2d.KIND);
                fullDecoder = null;
                decoder = subPixelDecoder;
            } else {
                // The teacher's position map (if any) is the student's to learn too: marks at fixed
                // canvas positions need it in any decoder.
                fullDecoder = new SketchGenerator(
                        ch,
                        widths,
                        downs,
                        teacher.config().positionChannels(),
                        config.leakySlope(),
                        SeparableConv2d.KIND);
                subPixelDecoder = null;
                decoder = fullDecoder;
            }
            Shape[] inputs = new Shape[ch.length];
            for (int s = 0; s < ch.length; s++) {
                inputs[s] = new Shape(1, ch[s], sizes[s], sizes[s]);
            }
            decoder.initialize(manager, DataType.FLOAT32, inputs);
            if (ownEncoder) {
                int canvas = teacher.config().canvas();
                encoder = new StudentEncoder(all, config.subPixel());
                encoder.initialize(manager, DataType.FLOAT32, new Shape(1, 1, canvas, canvas));
            } else {
                encoder = null;
            }
            store = new ParameterStore(manager, false);
            coarseStyle = skipped == 0 ? null : new CoarseStyle(teacher, skipped, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** A freshly initialised student for {@code teacher} on the teacher's encoder (weights seeded by {@code seed}). */
    public static SketchStudent create(SketchGan teacher, StudentConfig config, long seed) {
        return new SketchStudent(teacher, config, seed, false);
    }

    /** A freshly initialised student with its own {@link StudentEncoder} (to be distilled first, {@link EncoderDistiller}). */
    public static SketchStudent createWithEncoder(SketchGan teacher, StudentConfig config, long seed) {
        return new SketchStudent(teacher, config, seed, true);
    }

    /** Whether the student has its own encoder (else it runs the teacher's). */
    public boolean hasOwnEncoder() {
        return encoder != null;
    }

    /** The student's own encoder, or null when it uses the teacher's. */
    public StudentEncoder ownEncoder() {
        return encoder;
    }

    /**
     * Encoder features of {@code x [B,1,N,N]} of the scales the student uses (all, or 2..K with the
     * sub-pixel head), finest first: the own encoder's (inference mode) or the teacher's.
     */
    public NDList encode(NDArray x) {
        return encoder == null ? fromTeacherScales(teacher.encode(x)) : encoder.features(store, x, false);
    }

    /** The student's scales out of a list over all the teacher encoder's scales (finest first). */
    public NDList fromTeacherScales(NDList allScales) {
        return skipped == 0 ? allScales : allScales.subNDList(skipped);
    }

    /** Teacher encoder scales the student skips at the fine end (0, or 1 with the sub-pixel head). */
    public int skippedScales() {
        return skipped;
    }

    /**
     * AdaIN_SD with the teacher's current style card on the student's scales: the teacher's own
     * {@link SketchGan#stylise} when the student uses every scale; else {@link CoarseStyle} (the same
     * AdaIN with the card entries of scales 2..K, following the teacher's card, e.g. a {@code --blend}).
     */
    public NDList stylise(NDList features) {
        return coarseStyle == null ? teacher.stylise(features) : coarseStyle.apply(features);
    }

    public SketchGan teacher() {
        return teacher;
    }

    public StudentConfig config() {
        return config;
    }

    /** The decoder block: a separable {@link SketchGenerator}, or a {@link SubPixelDecoder}. */
    public Block decoder() {
        return decoder;
    }

    /** Decoder width per used scale, finest first. */
    public int[] decoderWidths() {
        return fullDecoder != null ? fullDecoder.widths() : subPixelDecoder.widths();
    }

    public ParameterStore store() {
        return store;
    }

    /** The manager owning the decoder's weights; per-step work belongs in a sub-manager of it. */
    public NDManager manager() {
        return manager;
    }

    /** Student decoder outputs (per used scale, coarsest first, and the sketch) for stylised features of its scales. */
    public DecoderOutputs decode(NDList stylised, boolean training) {
        return fullDecoder != null
                ? fullDecoder.decode(store, stylised, training)
                : subPixelDecoder.decode(store, stylised, training);
    }

    /** Sketch {@code [B,1,N,N]} in [-1,1] for garments {@code x [B,1,N,N]} in [-1,1]. */
    public NDArray generate(NDArray x, boolean training) {
        return decode(stylise(encode(x)), training).sketch();
    }

    /**
     * Sketches for garments, in inference mode: inputs on the teacher's canvas (N×N; at 32 also
     * 28×28) in [0,1] (0 = background), outputs N×N in [0,1] (1 = paper); batches of 64.
     */
    public float[][] generate(float[][] garments) {
        float[][] out = untoned(garments);
        ToneCurve curve = toneCurve();
        return curve == null ? out : curve.applyInPlace(out);
    }

    /** The decoder's own sketches, through no tone curve. */
    private float[][] untoned(float[][] garments) {
        float[][] out = new float[garments.length][];
        for (int start = 0; start < garments.length; start += BATCH) {
            int n = Math.min(BATCH, garments.length - start);
            int[] idx = new int[n];
            Arrays.setAll(idx, i -> i);
            try (NDManager sm = manager.newSubManager()) {
                NDArray x = Images.batch(sm, Arrays.asList(garments).subList(start, start + n), idx);
                System.arraycopy(Images.fromBatch(generate(x, false)), 0, out, start, n);
            }
        }
        return out;
    }

    /**
     * The tone curve {@link #generate(float[][])} applies: the student's own when fitted
     * ({@link #fitToneCurve}), else the teacher's (the student imitates the teacher's raw output), or null.
     */
    public ToneCurve toneCurve() {
        return tone != null ? tone : teacher.toneCurve();
    }

    /**
     * Fits the student's own tone curve: its raw sketches of {@code garments} mapped onto the
     * distribution of the teacher's finished sketches (tone curve included) of the same garments.
     * Garments only, like the distillation: a student's greys differ a little from the teacher's raw
     * ones, so the teacher's curve alone re-tones them imperfectly (docs/student.md, session 14).
     */
    public ToneCurve fitToneCurve(List<float[]> garments) {
        float[][] in = garments.toArray(new float[0][]);
        tone = ToneCurve.fit(Arrays.asList(untoned(in)), Arrays.asList(teacher.generate(in)));
        return tone;
    }

    // ---- parameters ---------------------------------------------------------------------------

    /** Name → parameter of the decoder, BatchNorm running statistics included. */
    public Map<String, Parameter> parameters() {
        return BlockParams.parameters(decoder, PREFIX);
    }

    /** Name → parameter of the own encoder (empty without one), BatchNorm running statistics included. */
    public Map<String, Parameter> encoderParameters() {
        return encoder == null ? Map.of() : BlockParams.parameters(encoder, StudentEncoder.PREFIX);
    }

    /** The decoder's tensors under {@value #PREFIX} and the own encoder's, BatchNorm running statistics included. */
    public ParamSet params() {
        ParamSet p = BlockParams.toParamSet(decoder, PREFIX);
        return encoder == null ? p : p.merge(BlockParams.toParamSet(encoder, StudentEncoder.PREFIX));
    }

    /** Number of trainable decoder weights (BatchNorm running statistics excluded). */
    public long weightCount() {
        return count(parameters());
    }

    /** Number of trainable weights of the own encoder (0 without one). */
    public long encoderWeightCount() {
        return count(encoderParameters());
    }

    private static long count(Map<String, Parameter> params) {
        return params.values().stream()
                .filter(Parameter::requiresGradient)
                .mapToLong(p -> p.getArray().size())
                .sum();
    }

    // ---- checkpoints --------------------------------------------------------------------------

    /**
     * Writes the decoder as safetensors (names {@value #PREFIX}{@code .**}) with metadata
     * {@code format}, {@code encoder} (kind), {@code encoder_channels}, {@code config.*} and {@code extra}.
     */
    public void save(Path file, Map<String, String> extra) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(extra);
        meta.put("format", FORMAT);
        meta.put("encoder", teacher.encoder().kind());
        meta.put("encoder_channels", channelString(teacher.encoder().channels()));
        meta.put("own_encoder", Boolean.toString(encoder != null));
        config.toMap().forEach((k, v) -> meta.put("config." + k, v));
        Safetensors.write(tone == null ? params() : params().merge(tone.toParamSet()), meta, file);
    }

    /**
     * Reads a student written by {@link #save} and binds it to {@code teacher} (the designer's model
     * of the same run, whose encoder and style card it uses).
     *
     * @throws IOException naming the file when it is not a student checkpoint or does not fit the teacher
     */
    public static SketchStudent load(Path file, SketchGan teacher) throws IOException {
        Safetensors.Contents c = Safetensors.readWithMetadata(file);
        Map<String, String> meta = c.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IOException(file + " is not a sketch student checkpoint (format '" + meta.get("format")
                    + "', expected '" + FORMAT + "')");
        }
        String want = channelString(teacher.encoder().channels());
        if (!want.equals(meta.get("encoder_channels"))
                || !teacher.encoder().kind().equals(meta.get("encoder"))) {
            throw new IOException(file + ": student was distilled for encoder " + meta.get("encoder") + " ["
                    + meta.get("encoder_channels") + "], the teacher has "
                    + teacher.encoder().kind() + " [" + want + "]");
        }
        Map<String, String> cfg = new LinkedHashMap<>();
        meta.forEach((k, v) -> {
            if (k.startsWith("config.")) {
                cfg.put(k.substring("config.".length()), v);
            }
        });
        SketchStudent student;
        try {
            student = new SketchStudent(
                    teacher, StudentConfig.fromMap(cfg), 0, Boolean.parseBoolean(meta.get("own_encoder")));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        try {
            int expected = student.parameters().size();
            int loaded = BlockParams.load(student.decoder, PREFIX, c.params().select(n -> n.startsWith(PREFIX + ".")));
            if (loaded != expected) {
                throw new IllegalArgumentException(
                        "the student has " + expected + " tensors but the checkpoint holds " + loaded);
            }
            if (student.encoder != null) {
                int enc = BlockParams.load(
                        student.encoder,
                        StudentEncoder.PREFIX,
                        c.params().select(n -> n.startsWith(StudentEncoder.PREFIX + ".")));
                if (enc != student.encoderParameters().size()) {
                    throw new IllegalArgumentException("the student's encoder has "
                            + student.encoderParameters().size() + " tensors but the checkpoint holds " + enc);
                }
            }
            student.tone = ToneCurve.fromParamSet(c.params());
            return student;
        } catch (RuntimeException e) {
            student.close();
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static String channelString(int[] channels) {
        return Arrays.stream(channels).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    @Override
    public void close() {
        if (coarseStyle != null) {
            coarseStyle.close();
        }
        manager.close();
    }
}
