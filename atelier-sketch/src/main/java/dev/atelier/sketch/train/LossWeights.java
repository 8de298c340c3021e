package dev.atelier.sketch.train;

/**
 * Weights of the generator's loss terms and of the critic's FedDecorr regulariser.
 *
 * @param adversarial generator hinge loss {@code −mean D(G(x))}
 * @param gram        Gram loss against the reference sketch's style statistics
 * @param semantic    cosine loss in the encoder embedding against the paired sketch (or the input when unpaired)
 * @param content     instance-normalised shallow-feature loss against the input garment
 * @param l1          pixel L1 against the paired reference sketch (ignored for unpaired data)
 * @param decorr      FedDecorr β on the critic's penultimate features (0 disables)
 * @param ink         ink-distribution loss: the 1-D Wasserstein distance between the grey levels of
 *                    the generated sketch and of its reference, position-free
 *                    ({@link SketchLosses#inkDistribution}; 0 disables); the trainer scales it
 *                    by her sketches' mid-grey share of ink ({@link InkStats#midGrey()}) and by the
 *                    square of the share of it her model leaves out after the warm-up
 *                    ({@link SketchTrainer#inkDeficit()})
 * @param density     ink-density L1: pixel L1 between the local means of the generated sketch and of
 *                    its reference over windows of an eighth of the canvas ({@link SketchLosses#densityL1};
 *                    paired only, 0 disables). Where her marks fall at random (stipple dots, chalk grain)
 *                    pixel L1 cannot say how much ink belongs where; this term can
 */
public record LossWeights(
        float adversarial,
        float gram,
        float semantic,
        float content,
        float l1,
        float decorr,
        float ink,
        float density) {
    public LossWeights {
        float[] all = {adversarial, gram, semantic, content, l1, decorr, ink, density};
        for (float w : all) {
            if (!(w >= 0) || Float.isInfinite(w)) {
                throw new IllegalArgumentException("loss weights must be finite and >= 0, got " + this);
            }
        }
    }

    /** Without the ink-distribution and ink-density terms. */
    public LossWeights(float adversarial, float gram, float semantic, float content, float l1, float decorr) {
        this(adversarial, gram, semantic, content, l1, decorr, 0f, 0f);
    }

    /**
     * The documented defaults (see {@code docs/sketch-model.md}): adversarial 0.1, Gram 5000, semantic
     * 1, content 0.1, L1 10, FedDecorr 0.1, ink density 10 (session 15). The Gram weight is meant for the default
     * {@link GramBalance#SPREAD} (a designer factor of about 0.4 to 8 on the built-ins, so an effective 1900 to 39 000); with
     * {@link GramBalance#NONE} the measured best was 1000.
     */
    public static LossWeights defaults() {
        return new LossWeights(0.1f, 5000f, 1f, 0.1f, 10f, 0.1f, 0f, 10f);
    }

    public LossWeights withAdversarial(float v) {
        return new LossWeights(v, gram, semantic, content, l1, decorr, ink, density);
    }

    public LossWeights withGram(float v) {
        return new LossWeights(adversarial, v, semantic, content, l1, decorr, ink, density);
    }

    public LossWeights withSemantic(float v) {
        return new LossWeights(adversarial, gram, v, content, l1, decorr, ink, density);
    }

    public LossWeights withContent(float v) {
        return new LossWeights(adversarial, gram, semantic, v, l1, decorr, ink, density);
    }

    public LossWeights withL1(float v) {
        return new LossWeights(adversarial, gram, semantic, content, v, decorr, ink, density);
    }

    public LossWeights withDecorr(float v) {
        return new LossWeights(adversarial, gram, semantic, content, l1, v, ink, density);
    }

    public LossWeights withInk(float v) {
        return new LossWeights(adversarial, gram, semantic, content, l1, decorr, v, density);
    }

    public LossWeights withDensity(float v) {
        return new LossWeights(adversarial, gram, semantic, content, l1, decorr, ink, v);
    }
}
