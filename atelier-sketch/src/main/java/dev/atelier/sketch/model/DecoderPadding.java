package dev.atelier.sketch.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the teacher generator's 3×3 convolutions pad their input ({@link SketchGanConfig#decoderPadding}).
 *
 * <ul>
 *   <li>{@link #ZEROS}: zero padding, the default and what every model saved before the setting
 *       existed uses. Its convolutions can tell the canvas border from the interior, so a short
 *       training leaves a darker column 0 (bold 0.51 vs 0.92 at column 31 for an all-black garment).
 *   <li>{@link #EDGE}: edge replication ({@link EdgePaddedConv2d}): uniform features give a uniform
 *       sketch up to the border. Opt-in because it costs: a GAN step of the default demo measured
 *       93 instead of 73 ms of CPU (+28%, docs/demo.md "GAN step profile"), which the demo's
 *       5-minute budget cannot afford, and its quality on the built-ins is not measured yet.
 * </ul>
 */
public enum DecoderPadding {
    ZEROS,
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
        return this == EDGE ? EdgePaddedConv2d::of3 : ConvKind.STANDARD;
    }
}
