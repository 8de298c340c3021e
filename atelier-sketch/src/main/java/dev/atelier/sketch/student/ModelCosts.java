package dev.atelier.sketch.student;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.sketch.model.SketchEncoder;
import dev.atelier.sketch.model.SketchGan;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Computes {@link ModelCost}s of a teacher and its student.
 *
 * <p>Decoder MACs come from {@link MacCounter} walking the decoder's DJL blocks. The encoder hides
 * its blocks behind {@link SketchEncoder}, so its MACs come from its weights instead: each 4-D
 * weight {@code [F, C/g, kh, kw]} is a stride-1, same-padded convolution producing the scale whose
 * channel count is {@code F}, at that scale's resolution {@code S}, costing {@code S²·numel(weight)};
 * 2-D weights (a classifier head) are not on the feature path and cost nothing here. This holds for
 * both encoders Atelier has ({@code featurenet}, {@code vgg16}; tests check it against the block
 * walk and against hand counts); an encoder whose convolution cannot be matched to exactly one scale
 * is rejected. Stateless.
 */
public final class ModelCosts {
    private ModelCosts() {}

    /** The teacher: its MRFM generator, style card and encoder. */
    public static ModelCost teacher(SketchGan teacher) {
        SketchEncoder e = teacher.encoder();
        return new ModelCost(
                teacher.generatorWeightCount(),
                styleParams(e),
                encoderParams(e),
                MacCounter.count(teacher.generator()),
                encoderMacs(e, teacher.config().canvas()));
    }

    /** The student: its separable decoder, the teacher's style card, and its own encoder or the teacher's it reuses. */
    public static ModelCost student(SketchStudent student) {
        SketchEncoder e = student.teacher().encoder();
        if (student.hasOwnEncoder()) {
            return new ModelCost(
                    student.weightCount(),
                    styleParams(e),
                    student.encoderWeightCount(),
                    MacCounter.count(student.decoder()),
                    MacCounter.count(student.ownEncoder()));
        }
        return new ModelCost(
                student.weightCount(),
                styleParams(e),
                encoderParams(e),
                MacCounter.count(student.decoder()),
                encoderMacs(e, student.teacher().config().canvas()));
    }

    /** Style-card size: a mean and a std per channel of every encoder scale. */
    public static long styleParams(SketchEncoder encoder) {
        return 2L * Arrays.stream(encoder.channels()).asLongStream().sum();
    }

    /** Encoder weights, BatchNorm running statistics excluded. */
    public static long encoderParams(SketchEncoder encoder) {
        long n = 0;
        for (Map.Entry<String, Tensor> e : encoder.parameters().asMap().entrySet()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (!name.endsWith(".runningmean") && !name.endsWith(".runningvar")) {
                n += e.getValue().numElements();
            }
        }
        return n;
    }

    /** Encoder MACs per 32×32 input; see the class comment for the rule. */
    public static long encoderMacs(SketchEncoder encoder) {
        return encoderMacs(encoder, 32);
    }

    /** Encoder MACs per {@code canvas × canvas} input. */
    public static long encoderMacs(SketchEncoder encoder, int canvas) {
        return convMacs(encoder.parameters(), encoder.channels(), encoder.sizes(canvas));
    }

    /**
     * MACs of the 4-D weights of {@code params}, each placed at the resolution of the one scale whose
     * channel count equals its output channels.
     */
    static long convMacs(ParamSet params, int[] channels, int[] sizes) {
        long total = 0;
        for (Map.Entry<String, Tensor> e : params.asMap().entrySet()) {
            long[] shape = e.getValue().shape();
            if (shape.length != 4) {
                continue;
            }
            int scale = -1;
            for (int s = 0; s < channels.length; s++) {
                if (channels[s] == shape[0]) {
                    if (scale >= 0) {
                        throw new IllegalArgumentException("encoder convolution '" + e.getKey() + "' with " + shape[0]
                                + " outputs matches several scales " + Arrays.toString(channels));
                    }
                    scale = s;
                }
            }
            if (scale < 0) {
                throw new IllegalArgumentException("encoder convolution '" + e.getKey() + "' " + Arrays.toString(shape)
                        + " produces no scale of " + Arrays.toString(channels));
            }
            total += (long) sizes[scale] * sizes[scale] * e.getValue().numElements();
        }
        return total;
    }
}
