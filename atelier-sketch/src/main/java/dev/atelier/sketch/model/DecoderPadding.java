package dev.atelier.sketch.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the teacher generator's 3×3 convolutions pad their input ({@link SketchGanConfig#decoderPadding}).
 *
 * <ul>
 *   <li>{@link #ZEROS}: zero padding, the default and what every model saved before the setting
 *       existed uses (a checkpoint without {@code decoder_padding} loads as zeros). On real garments
 *       the trained generator's border columns match the references; on a blank garment, an input
 *       no training pair resembles, it draws a darker column on one side (which side follows the
 *       initialisation seed; docs/sketch-model.md "Border columns").
 *   <li>{@link #BORDER_MEAN}: each map padded with the mean of its own outermost pixels
 *       ({@link BorderMeanConv2d}): uniform features give a uniform sketch up to the border. Opt-in:
 *       generator forward + backward +22% CPU, and on the one seed measured the default demo's
 *       local-only style accuracy fell from 0.874 to 0.760 (hatch 0.91 → 0.46).
 *   <li>{@link #EDGE}: edge replication ({@link EdgePaddedConv2d}): also uniform in, uniform out;
 *       +47% generator forward + backward (a GAN step 93 instead of 73 ms in session 6); opt-in.
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
