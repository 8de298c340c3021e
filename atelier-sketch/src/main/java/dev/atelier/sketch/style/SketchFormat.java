package dev.atelier.sketch.style;

/**
 * Shapes, units and value conventions shared by every sketch style.
 *
 * <ul>
 *   <li><b>Garment (input)</b>: {@value #GARMENT_SIDE}×{@value #GARMENT_SIDE} {@code float[]}, row-major,
 *       values in [0,1], 1 = bright garment, 0 = black background (Fashion-MNIST pixels / 255).</li>
 *   <li><b>Sketch (output)</b>: {@value #SKETCH_SIDE}×{@value #SKETCH_SIDE} {@code float[]}, row-major,
 *       values in [0,1], {@link #PAPER} = 1 = white paper, {@link #INK} = 0 = black ink. The chalk style
 *       keeps the same numeric range but draws light lines on a dark board.</li>
 *   <li><b>Geometry</b>: the garment is placed on the sketch canvas by zero-padding {@value #PAD} px on
 *       every side (no resampling), so garment pixel (x, y) is sketch pixel (x + 2, y + 2).</li>
 * </ul>
 *
 * <p>Why 32×32: the whole three-regime federated demo has to run in at most five minutes on two CPU
 * cores, so the GAN must stay tiny; 32 is the smallest power of two above 28 (clean stride-2
 * down/up-sampling 32→16→8→4), and the 2 px margin leaves room for outlines that extend past the
 * garment silhouette (Fashion-MNIST garments often touch the 28×28 border). Padding instead of
 * upscaling keeps every garment pixel exact and the styles' 1 px lines crisp.
 */
public final class SketchFormat {

    /** Side of a Fashion-MNIST garment image, in pixels. */
    public static final int GARMENT_SIDE = 28;
    /** Side of a sketch (and of a padded garment), in pixels. */
    public static final int SKETCH_SIDE = 32;
    /** Zero margin added on each side of the garment: (32 - 28) / 2. */
    public static final int PAD = (SKETCH_SIDE - GARMENT_SIDE) / 2;
    /** Number of pixels of a garment image (784). */
    public static final int GARMENT_PIXELS = GARMENT_SIDE * GARMENT_SIDE;
    /** Number of pixels of a sketch (1024). */
    public static final int SKETCH_PIXELS = SKETCH_SIDE * SKETCH_SIDE;
    /** Value of blank paper. */
    public static final float PAPER = 1f;
    /** Value of full-strength ink. */
    public static final float INK = 0f;

    private SketchFormat() {}

    /**
     * Places a 28×28 garment on the 32×32 canvas (2 px black margin); this is also the input layout
     * a generator network should use so that input and target sketch are pixel-aligned.
     *
     * @param garment28 784 values in [0,1] (values slightly outside are clamped)
     * @return a new 1024-value array, background 0
     * @throws IllegalArgumentException if the length is not 784 or a value is NaN
     */
    public static float[] padGarment(float[] garment28) {
        checkGarment(garment28);
        float[] out = new float[SKETCH_PIXELS];
        for (int y = 0; y < GARMENT_SIDE; y++) {
            for (int x = 0; x < GARMENT_SIDE; x++) {
                float v = garment28[y * GARMENT_SIDE + x];
                out[(y + PAD) * SKETCH_SIDE + x + PAD] = Math.min(1f, Math.max(0f, v));
            }
        }
        return out;
    }

    /** Rejects null, wrong-length and NaN-containing garment arrays with a one-line message. */
    static void checkGarment(float[] garment28) {
        if (garment28 == null) {
            throw new IllegalArgumentException("garment image is null");
        }
        if (garment28.length != GARMENT_PIXELS) {
            throw new IllegalArgumentException(
                    "garment image must have " + GARMENT_PIXELS + " values (28x28 row-major), got " + garment28.length);
        }
        for (int i = 0; i < garment28.length; i++) {
            if (Float.isNaN(garment28[i])) {
                throw new IllegalArgumentException("garment image has NaN at index " + i);
            }
        }
    }
}
