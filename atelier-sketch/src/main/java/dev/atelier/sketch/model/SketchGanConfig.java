package dev.atelier.sketch.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Architecture settings of the sketch GAN (the encoder's channels come from the encoder itself).
 * Defaults are sized so one G+D training step at batch 16 stays cheap on a 2-core CPU; see
 * {@code docs/sketch-model.md} for the measured cost and the layer table. Immutable.
 *
 * @param decoderDivisor the decoder's width at scale s (the 1×1 fuse conv's output, and the opening
 *                       conv at the coarsest scale) is {@code C_s / decoderDivisor}, {@code C_s} the
 *                       encoder's channels there
 * @param downDivisor    an MRFM block's pooled-skip conv has {@code C_s / downDivisor} channels
 * @param leakySlope     LeakyReLU negative slope in generator and critic
 * @param gramSize       every scale's Gram matrix is resized to {@code gramSize × gramSize} for the critic
 * @param discChannels   channels of the critic's stride-2 conv-BN-LeakyReLU stages
 * @param spectralNorm   spectral normalisation on every critic conv
 * @param canvas         side of the square images the model reads and draws, in pixels (32 for the
 *                       Fashion-MNIST demo; 64, 128, 256 for designers' photos and scans); a multiple
 *                       of 8 in 32..512 ({@link dev.atelier.sketch.folder.Canvas#checkSide}). The
 *                       weights do not depend on it (every layer is convolutional and the Gram
 *                       matrices are channel × channel), but the model was trained at it, so
 *                       folders, {@code generate} and {@code sketch eval} bring images to it.
 * @param decoderPadding how the generator's 3×3 convolutions pad ({@link DecoderPadding}): zeros by
 *                       default ({@link #DEFAULT_PADDING}) and for models saved before the setting
 *                       existed ({@link #LEGACY_PADDING})
 * @param criticProjection the critic adds a designer projection to its score (a projection
 *                       discriminator, Miyato &amp; Koyama 2018): {@code score = head(h) + <e, h>}, the
 *                       designer's vector {@code e} ({@value StyleDiscriminator#DESIGNER}) personal: it is
 *                       never shared ({@link SketchGan#SHARED_DISC}). Off by default.
 * @param positionChannels channels of the generator's learned position map (0 = none): a
 *                       {@code [1, P, N, N]} weight, one value per canvas pixel and channel, that the
 *                       finest decoder block reads next to the garment's features. Styles whose
 *                       marks sit at fixed canvas positions (hatching on a fixed diagonal grid,
 *                       stitching along fixed lines) cannot be drawn by a translation-equivariant
 *                       decoder without it (docs/sketch-model.md "Position map"). Node-local like
 *                       the rest of the generator; the one part of the model that depends on the canvas.
 */
public record SketchGanConfig(
        int decoderDivisor,
        int downDivisor,
        float leakySlope,
        int gramSize,
        int[] discChannels,
        boolean spectralNorm,
        int canvas,
        DecoderPadding decoderPadding,
        boolean criticProjection,
        int positionChannels) {
    /** Upper bound of {@link #positionChannels()}: a map is a per-pixel bias, not a feature extractor. */
    public static final int MAX_POSITION_CHANNELS = 64;
    /** Canvas of models saved before the setting existed, and of the demo. */
    public static final int DEFAULT_CANVAS = dev.atelier.sketch.folder.Canvas.SIDE;
    /**
     * The generator's padding of new models: still zeros. Border mean fixes the blank-garment border
     * column but cost style accuracy on the one seed measured (docs/sketch-model.md "Border columns").
     */
    public static final DecoderPadding DEFAULT_PADDING = DecoderPadding.ZEROS;
    /** The padding of models saved without a {@code decoder_padding} entry (every model before session 7). */
    public static final DecoderPadding LEGACY_PADDING = DecoderPadding.ZEROS;

    public SketchGanConfig {
        if (decoderDivisor < 1 || downDivisor < 1 || !(leakySlope >= 0 && leakySlope < 1) || gramSize < 1) {
            throw new IllegalArgumentException("invalid sketch GAN config: decoderDivisor=" + decoderDivisor
                    + " downDivisor=" + downDivisor + " slope=" + leakySlope + " gramSize=" + gramSize);
        }
        if (discChannels == null
                || discChannels.length == 0
                || Arrays.stream(discChannels).anyMatch(c -> c < 1)) {
            throw new IllegalArgumentException("critic channels must be a non-empty list of positive counts, got "
                    + Arrays.toString(discChannels));
        }
        discChannels = discChannels.clone();
        dev.atelier.sketch.folder.Canvas.checkSide(canvas);
        java.util.Objects.requireNonNull(decoderPadding, "decoderPadding");
        if (positionChannels < 0 || positionChannels > MAX_POSITION_CHANNELS) {
            throw new IllegalArgumentException(
                    "position map channels must be in 0.." + MAX_POSITION_CHANNELS + ", got " + positionChannels);
        }
    }

    /** A config without the generator's position map. */
    public SketchGanConfig(
            int decoderDivisor,
            int downDivisor,
            float leakySlope,
            int gramSize,
            int[] discChannels,
            boolean spectralNorm,
            int canvas,
            DecoderPadding decoderPadding,
            boolean criticProjection) {
        this(
                decoderDivisor,
                downDivisor,
                leakySlope,
                gramSize,
                discChannels,
                spectralNorm,
                canvas,
                decoderPadding,
                criticProjection,
                0);
    }

    /** A config without the critic's designer projection. */
    public SketchGanConfig(
            int decoderDivisor,
            int downDivisor,
            float leakySlope,
            int gramSize,
            int[] discChannels,
            boolean spectralNorm,
            int canvas,
            DecoderPadding decoderPadding) {
        this(
                decoderDivisor,
                downDivisor,
                leakySlope,
                gramSize,
                discChannels,
                spectralNorm,
                canvas,
                decoderPadding,
                false);
    }

    /** A config with the generator's default padding ({@link #DEFAULT_PADDING}). */
    public SketchGanConfig(
            int decoderDivisor,
            int downDivisor,
            float leakySlope,
            int gramSize,
            int[] discChannels,
            boolean spectralNorm,
            int canvas) {
        this(decoderDivisor, downDivisor, leakySlope, gramSize, discChannels, spectralNorm, canvas, DEFAULT_PADDING);
    }

    /** A config on the default {@value #DEFAULT_CANVAS} px canvas. */
    public SketchGanConfig(
            int decoderDivisor,
            int downDivisor,
            float leakySlope,
            int gramSize,
            int[] discChannels,
            boolean spectralNorm) {
        this(decoderDivisor, downDivisor, leakySlope, gramSize, discChannels, spectralNorm, DEFAULT_CANVAS);
    }

    /**
     * Channels of the generator's position map in new models (models saved without a
     * {@code position_channels} entry have none). Measured in docs/demo.md "Session 11" at the demo
     * schedule: mean style accuracy over seeds 7–11 0.824 (none, seeds 7–10) → 0.918 (4) → 0.936 (8),
     * hatch 0.29–0.63 → 0.98–1.00.
     */
    public static final int DEFAULT_POSITION_CHANNELS = 8;

    /**
     * Defaults: decoder divisor 2, down divisor 2, slope 0.2, Gram size 32, critic {16, 32, 64},
     * spectral norm on, 32 px canvas, zero padding in the generator, an 8-channel position map.
     */
    public static SketchGanConfig defaults() {
        return new SketchGanConfig(2, 2, 0.2f, 32, new int[] {16, 32, 64}, true)
                .withPositionChannels(DEFAULT_POSITION_CHANNELS);
    }

    @Override
    public int[] discChannels() {
        return discChannels.clone();
    }

    public SketchGanConfig withDecoderDivisor(int v) {
        return new SketchGanConfig(
                v,
                downDivisor,
                leakySlope,
                gramSize,
                discChannels,
                spectralNorm,
                canvas,
                decoderPadding,
                criticProjection,
                positionChannels);
    }

    public SketchGanConfig withDownDivisor(int v) {
        return new SketchGanConfig(
                decoderDivisor,
                v,
                leakySlope,
                gramSize,
                discChannels,
                spectralNorm,
                canvas,
                decoderPadding,
                criticProjection,
                positionChannels);
    }

    public SketchGanConfig withGramSize(int v) {
        return new SketchGanConfig(
                decoderDivisor,
                downDivisor,
                leakySlope,
                v,
                discChannels,
                spectralNorm,
                canvas,
                decoderPadding,
                criticProjection,
                positionChannels);
    }

    public SketchGanConfig withDiscChannels(int... v) {
        return new SketchGanConfig(
                decoderDivisor,
                downDivisor,
                leakySlope,
                gramSize,
                v,
                spectralNorm,
                canvas,
                decoderPadding,
                criticProjection,
                positionChannels);
    }

    public SketchGanConfig withSpectralNorm(boolean v) {
        return new SketchGanConfig(
                decoderDivisor,
                downDivisor,
                leakySlope,
                gramSize,
                discChannels,
                v,
                canvas,
                decoderPadding,
                criticProjection,
                positionChannels);
    }

    /** The same architecture on a canvas of {@code side} px. */
    public SketchGanConfig withCanvas(int side) {
        return new SketchGanConfig(
                decoderDivisor,
                downDivisor,
                leakySlope,
                gramSize,
                discChannels,
                spectralNorm,
                side,
                decoderPadding,
                criticProjection,
                positionChannels);
    }

    /** The same architecture with the generator's convolutions padded as {@code padding} says. */
    public SketchGanConfig withDecoderPadding(DecoderPadding padding) {
        return new SketchGanConfig(
                decoderDivisor,
                downDivisor,
                leakySlope,
                gramSize,
                discChannels,
                spectralNorm,
                canvas,
                padding,
                criticProjection,
                positionChannels);
    }

    /** The same architecture with (or without) the critic's personal designer projection. */
    public SketchGanConfig withCriticProjection(boolean v) {
        return new SketchGanConfig(
                decoderDivisor,
                downDivisor,
                leakySlope,
                gramSize,
                discChannels,
                spectralNorm,
                canvas,
                decoderPadding,
                v,
                positionChannels);
    }

    /** The same architecture with a learned position map of {@code channels} channels in the generator (0: none). */
    public SketchGanConfig withPositionChannels(int channels) {
        return new SketchGanConfig(
                decoderDivisor,
                downDivisor,
                leakySlope,
                gramSize,
                discChannels,
                spectralNorm,
                canvas,
                decoderPadding,
                criticProjection,
                channels);
    }

    /** String form for checkpoint metadata; inverse of {@link #fromMap}. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("decoder_divisor", Integer.toString(decoderDivisor));
        m.put("down_divisor", Integer.toString(downDivisor));
        m.put("leaky_slope", Float.toString(leakySlope));
        m.put("gram_size", Integer.toString(gramSize));
        m.put(
                "disc_channels",
                String.join(
                        ",",
                        Arrays.stream(discChannels).mapToObj(Integer::toString).toList()));
        m.put("spectral_norm", Boolean.toString(spectralNorm));
        m.put("canvas", Integer.toString(canvas));
        m.put("decoder_padding", decoderPadding.key());
        if (criticProjection) { // absent when off, so models without it keep their metadata
            m.put("critic_projection", "true");
        }
        if (positionChannels > 0) { // likewise absent when off
            m.put("position_channels", Integer.toString(positionChannels));
        }
        return m;
    }

    /**
     * Parses {@link #toMap} output; missing keys take the defaults (a model without {@code canvas} is
     * 32 px, one without {@code decoder_padding} zero-padded, {@link #LEGACY_PADDING}, as it was trained).
     */
    public static SketchGanConfig fromMap(Map<String, String> m) {
        SketchGanConfig d = defaults();
        try {
            int[] disc = m.containsKey("disc_channels")
                    ? Arrays.stream(m.get("disc_channels").split(","))
                            .map(String::trim)
                            .mapToInt(Integer::parseInt)
                            .toArray()
                    : d.discChannels;
            return new SketchGanConfig(
                    Integer.parseInt(m.getOrDefault("decoder_divisor", Integer.toString(d.decoderDivisor))),
                    Integer.parseInt(m.getOrDefault("down_divisor", Integer.toString(d.downDivisor))),
                    Float.parseFloat(m.getOrDefault("leaky_slope", Float.toString(d.leakySlope))),
                    Integer.parseInt(m.getOrDefault("gram_size", Integer.toString(d.gramSize))),
                    disc,
                    Boolean.parseBoolean(m.getOrDefault("spectral_norm", Boolean.toString(d.spectralNorm))),
                    Integer.parseInt(m.getOrDefault("canvas", Integer.toString(d.canvas))),
                    DecoderPadding.parse(m.getOrDefault("decoder_padding", LEGACY_PADDING.key())),
                    Boolean.parseBoolean(m.getOrDefault("critic_projection", "false")),
                    Integer.parseInt(m.getOrDefault("position_channels", "0")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed sketch GAN config " + m + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SketchGanConfig c
                && decoderDivisor == c.decoderDivisor
                && downDivisor == c.downDivisor
                && leakySlope == c.leakySlope
                && gramSize == c.gramSize
                && Arrays.equals(discChannels, c.discChannels)
                && spectralNorm == c.spectralNorm
                && canvas == c.canvas
                && decoderPadding == c.decoderPadding
                && criticProjection == c.criticProjection
                && positionChannels == c.positionChannels;
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    @Override
    public String toString() {
        return "SketchGanConfig" + toMap();
    }
}
