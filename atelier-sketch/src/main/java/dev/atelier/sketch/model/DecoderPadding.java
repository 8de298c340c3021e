package dev.atelier.sketch.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the teacher generator's 3×3 convolutions pad their input ({@link SketchGanConfig#decoderPadding}).
 *
 * <ul>
 *   <li>{@link #ZEROS}: zero padding, what every model saved before the setting existed uses (a
 *       checkpoint without {@code decoder_padding} loads as zeros). Its convolutions can tell the
 *       canvas border from the interior, so a uniform input gives a darker column on one side
 *       (docs/sketch-model.md "Border columns").
 *   <li>{@link #BORDER_MEAN}: the default for new models ({@link BorderMeanConv2d}): each map is
 *       padded with the mean of its own outermost pixels, so uniform features give a uniform
 *       sketch up to the border, at about the cost of zero padding.
 *   <li>{@link #EDGE}: edge replication ({@link EdgePaddedConv2d}): also uniform in, uniform out,
 *       and exact replication where the border ring is not uniform, but a GAN step of the default
 *       demo measured 93 instead of 73 ms of CPU (+28%, docs/demo.md "GAN step profile"); opt-in.
 * </ul>
 */
public enum DecoderPadding {
    ZEROS,
    BORDER_MEAN,
    EDGE;

    /** Lower-case name, as in checkpoint metadata ({@code decoder_padding}). */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #key()} (case-insensitive); a clear error names the choices. */
    public static DecoderPadding parse(String s) {
        for (DecoderPadding p : values()) {
            if (p.key().equalsIgnoreCase(s.strip())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown decoder padding '" + s + "', expected one of "
                + Arrays.toString(values()).toLowerCase(Locale.ROOT));
    }

    /** The generator's convolution kind for this padding. */
    ConvKind convKind() {
        return switch (this) {
            case ZEROS -> ConvKind.STANDARD;
            case BORDER_MEAN -> BorderMeanConv2d::of3;
            case EDGE -> EdgePaddedConv2d::of3;
        };
    }
}
