package dev.atelier.sketch.folder;

/**
 * How a designer's folder is read.
 *
 * @param invertGarments invert {@code images/} (dark garments photographed on white; the models
 *     expect Fashion-MNIST polarity, a light garment on black)
 * @param unpaired use every garment and every sketch, sampled independently, instead of pairs
 *     matched by file name; only when asked for
 * @param minPairedFraction share of the larger folder that must be matched by name for paired
 *     training, in (0, 1] (see {@link Pairing})
 * @param canvas side of the square canvas every image is brought to ({@link Canvas}); the model's
 *     {@code canvas} setting
 */
public record FolderOptions(boolean invertGarments, boolean unpaired, double minPairedFraction, int canvas) {
    public FolderOptions {
        if (!(minPairedFraction > 0 && minPairedFraction <= 1)) {
            throw new IllegalArgumentException("minimum paired fraction must be in (0, 1], got " + minPairedFraction);
        }
        Canvas.checkSide(canvas);
    }

    /** On the default {@value Canvas#SIDE} px canvas. */
    public FolderOptions(boolean invertGarments, boolean unpaired, double minPairedFraction) {
        this(invertGarments, unpaired, minPairedFraction, Canvas.SIDE);
    }

    /** Paired, no inversion, default threshold. */
    public static FolderOptions defaults() {
        return new FolderOptions(false, false, Pairing.DEFAULT_MIN_PAIRED_FRACTION);
    }

    public FolderOptions withInvert(boolean invert) {
        return new FolderOptions(invert, unpaired, minPairedFraction, canvas);
    }

    public FolderOptions withUnpaired(boolean unpairedData) {
        return new FolderOptions(invertGarments, unpairedData, minPairedFraction, canvas);
    }

    public FolderOptions withCanvas(int side) {
        return new FolderOptions(invertGarments, unpaired, minPairedFraction, side);
    }
}
