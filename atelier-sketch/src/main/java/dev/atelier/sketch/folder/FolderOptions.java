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
 * @param unsketched paired training also uses the garments that have no sketch of their name, as
 *     garments she has not sketched ({@link dev.atelier.sketch.train.SketchPairs#unsketched()}); the
 *     match threshold then counts her sketches only. Only when asked for
 */
public record FolderOptions(
        boolean invertGarments, boolean unpaired, double minPairedFraction, int canvas, boolean unsketched) {
    public FolderOptions {
        if (!(minPairedFraction > 0 && minPairedFraction <= 1)) {
            throw new IllegalArgumentException("minimum paired fraction must be in (0, 1], got " + minPairedFraction);
        }
        Canvas.checkSide(canvas);
        if (unpaired && unsketched) {
            throw new IllegalArgumentException(
                    "unsketched garments are for paired training; unpaired training already uses every garment");
        }
    }

    /** Without unsketched garments. */
    public FolderOptions(boolean invertGarments, boolean unpaired, double minPairedFraction, int canvas) {
        this(invertGarments, unpaired, minPairedFraction, canvas, false);
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
        return new FolderOptions(invert, unpaired, minPairedFraction, canvas, unsketched);
    }

    public FolderOptions withUnpaired(boolean unpairedData) {
        return new FolderOptions(invertGarments, unpairedData, minPairedFraction, canvas, unsketched);
    }

    public FolderOptions withCanvas(int side) {
        return new FolderOptions(invertGarments, unpaired, minPairedFraction, side, unsketched);
    }

    public FolderOptions withUnsketched(boolean useUnsketched) {
        return new FolderOptions(invertGarments, unpaired, minPairedFraction, canvas, useUnsketched);
    }
}
