package dev.atelier.zo.model;

/**
 * Keys and values of the positions a {@link CausalLm} has already processed, per layer, so that
 * generation feeds one new token at a time. Keys are stored after RoPE. Capacity is fixed at
 * creation (≤ the model's max positions); memory is 2·layers·capacity·kvDim floats. One sequence,
 * not thread-safe.
 */
public final class KvCache {
    private final float[][] keys;
    private final float[][] values;
    private final int capacity;
    private final int kvDim;
    private int length;

    KvCache(int layers, int capacity, int kvDim) {
        this.keys = new float[layers][];
        this.values = new float[layers][];
        for (int l = 0; l < layers; l++) {
            keys[l] = new float[Math.multiplyExact(capacity, kvDim)];
            values[l] = new float[capacity * kvDim];
        }
        this.capacity = capacity;
        this.kvDim = kvDim;
    }

    /** Positions held so far (the next token's position). */
    public int length() {
        return length;
    }

    public int capacity() {
        return capacity;
    }

    float[] keys(int layer) {
        return keys[layer];
    }

    float[] values(int layer) {
        return values[layer];
    }

    /** Stores rows [0, n) of k and v ([n, kvDim]) at positions [length, length + n) of a layer. */
    void put(int layer, float[] k, float[] v, int n) {
        System.arraycopy(k, 0, keys[layer], length * kvDim, n * kvDim);
        System.arraycopy(v, 0, values[layer], length * kvDim, n * kvDim);
    }

    /** Called once per forward after every layer has {@link #put} its n rows. */
    void advance(int n) {
        length += n;
    }
}
