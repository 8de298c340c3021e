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
 */
public record FolderOptions(boolean invertGarments, boolean unpaired, double minPairedFraction) {
    public FolderOptions {
        if (!(minPairedFraction > 0 && minPairedFraction <= 1)) {
            throw new IllegalArgumentException("minimum paired fraction must be in (0, 1], got " + minPairedFraction);
        }
    }

    /** Paired, no inversion, default threshold. */
    public static FolderOptions defaults() {
        return new FolderOptions(false, false, Pairing.DEFAULT_MIN_PAIRED_FRACTION);
    }

    public FolderOptions withInvert(boolean invert) {
        return new FolderOptions(invert, unpaired, minPairedFraction);
    }

    public FolderOptions withUnpaired(boolean unpairedData) {
        return new FolderOptions(invertGarments, unpairedData, minPairedFraction);
    }
}
