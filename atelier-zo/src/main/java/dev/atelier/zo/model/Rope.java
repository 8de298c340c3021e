package dev.atelier.zo.model;

/**
 * Rotary position embedding as Hugging Face Llama applies it ("rotate half": channel i pairs with
 * i + d/2 inside each head), unscaled: θ_i = base^(−2i/d), angle = position·θ_i, both in float32
 * like the reference. Immutable, thread-safe.
 */
final class Rope {
    private final int headDim;
    private final float[] invFreq;

    Rope(int headDim, double base) {
        this.headDim = headDim;
        this.invFreq = new float[headDim / 2];
        for (int i = 0; i < invFreq.length; i++) {
            invFreq[i] = (float) (1.0 / Math.pow(base, (2.0 * i) / headDim));
        }
    }

    /**
     * Rotates {@code heads} heads of row {@code row} of {@code x} ([rows, heads·headDim]) in place
     * for sequence position {@code position}.
     */
    void apply(float[] x, int row, int heads, int position) {
        int half = headDim / 2;
        int width = heads * headDim;
        for (int i = 0; i < half; i++) {
            float angle = position * invFreq[i];
            float cos = (float) Math.cos(angle);
            float sin = (float) Math.sin(angle);
            for (int h = 0; h < heads; h++) {
                int a = row * width + h * headDim + i;
                int b = a + half;
                float xa = x[a];
                float xb = x[b];
                x[a] = xa * cos - xb * sin;
                x[b] = xb * cos + xa * sin;
            }
        }
    }
}
