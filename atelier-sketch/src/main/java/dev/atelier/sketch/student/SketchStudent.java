package dev.atelier.sketch.student;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.ml.nn.BlockParams;
import dev.atelier.ml.nn.Images;
import dev.atelier.sketch.model.DecoderOutputs;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The edge student of a designer's sketch GAN: the teacher's frozen encoder and AdaIN_SD style card
 * (reused through {@link SketchGan#encode} and {@link SketchGan#stylise}) followed by a small
 * depthwise-separable decoder ({@link SketchGenerator} with {@link SeparableConv2d#KIND}) that replaces the teacher's MRFM decoder.
 *
 * <pre>
 *   garment x [B,1,32,32] in [-1,1] → teacher.encode → teacher.stylise (style card) → separable decoder → sketch [B,1,32,32] in [-1,1]
 * </pre>
 * Parameter names: {@value #PREFIX}{@code .**} (e.g. {@code student.block1.conv.dw.weight}). A
 * saved student ({@link #save}) holds only these tensors plus metadata; the encoder and the style
 * card come from the designer's teacher checkpoint of the same run, which {@link #load} binds to.
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
    private final SketchGenerator decoder;
    private final ParameterStore store;

    private SketchStudent(SketchGan teacher, StudentConfig config, long seed) {
        this.teacher = Objects.requireNonNull(teacher, "teacher");
        this.config = Objects.requireNonNull(config, "config");
        this.manager = NDManager.newBaseManager();
        try {
            int[] ch = teacher.encoder().channels();
            int[] sizes = teacher.encoder().sizes(teacher.config().canvas());
            Engine.getInstance().setRandomSeed((int) (seed ^ SEED_SALT));
            int[] widths = new int[ch.length];
            int[] downs = new int[ch.length];
            for (int s = 0; s < ch.length; s++) {
                widths[s] = config.width(ch[s]);
                downs[s] = config.down(ch[s]);
            }
            decoder = new SketchGenerator(ch, widths, downs, config.leakySlope(), SeparableConv2d.KIND);
            Shape[] inputs = new Shape[ch.length];
            for (int s = 0; s < ch.length; s++) {
                inputs[s] = new Shape(1, ch[s], sizes[s], sizes[s]);
            }
            decoder.initialize(manager, DataType.FLOAT32, inputs);
            store = new ParameterStore(manager, false);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** A freshly initialised student for {@code teacher} (weights seeded by {@code seed}). */
    public static SketchStudent create(SketchGan teacher, StudentConfig config, long seed) {
        return new SketchStudent(teacher, config, seed);
    }

    public SketchGan teacher() {
        return teacher;
    }

    public StudentConfig config() {
        return config;
    }

    public SketchGenerator decoder() {
        return decoder;
    }

    public ParameterStore store() {
        return store;
    }

    /** The manager owning the decoder's weights; per-step work belongs in a sub-manager of it. */
    public NDManager manager() {
        return manager;
    }

    /** Student decoder outputs (per scale and sketch) for stylised features of the teacher. */
    public DecoderOutputs decode(NDList stylised, boolean training) {
        return decoder.decode(store, stylised, training);
    }

    /** Sketch {@code [B,1,32,32]} in [-1,1] for garments {@code x [B,1,32,32]} in [-1,1]. */
    public NDArray generate(NDArray x, boolean training) {
        return decode(teacher.stylise(teacher.encode(x)), training).sketch();
    }

    /**
     * Sketches for garments, in inference mode: inputs 28×28 or 32×32 in [0,1] (0 = background),
     * outputs 32×32 in [0,1] (1 = paper); batches of 64.
     */
    public float[][] generate(float[][] garments) {
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

    // ---- parameters ---------------------------------------------------------------------------

    /** Name → parameter of the decoder, BatchNorm running statistics included. */
    public Map<String, Parameter> parameters() {
        return BlockParams.parameters(decoder, PREFIX);
    }

    /** The decoder's tensors under {@value #PREFIX}, BatchNorm running statistics included. */
    public ParamSet params() {
        return BlockParams.toParamSet(decoder, PREFIX);
    }

    /** Number of trainable decoder weights (BatchNorm running statistics excluded). */
    public long weightCount() {
        return parameters().values().stream()
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
        config.toMap().forEach((k, v) -> meta.put("config." + k, v));
        Safetensors.write(params(), meta, file);
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
            student = create(teacher, StudentConfig.fromMap(cfg), 0);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        try {
            int expected = student.parameters().size();
            int loaded = BlockParams.load(student.decoder, PREFIX, c.params());
            if (loaded != expected) {
                throw new IllegalArgumentException(
                        "the student has " + expected + " tensors but the checkpoint holds " + loaded);
            }
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
        manager.close();
    }
}
