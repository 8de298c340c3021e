package dev.atelier.zo.model;

/**
 * The output of a frozen prefix (embeddings and decoder blocks [0, k)) for a set of token rows:
 * the input of block k, which a client whose active blocks all lie at or above k reuses for both
 * perturbed passes of every step, instead of running the prefix twice per step. Blocks the model
 * holds run from memory; the others (below {@link CausalLm#firstResidentBlock}, or streamed) are
 * read from the checkpoint folder the model was loaded from into its one block slot, run over
 * every row, and overwritten by the next. Bit-identical to the same blocks in a fully loaded
 * model. Not thread-safe (the slot).
 */
public final class FrozenPrefix {
    private final CausalLm model;

    public FrozenPrefix(CausalLm model) {
        this.model = model;
    }

    /**
     * Hidden states [rows[r].length, hidden] at the input of block {@code k} for each row;
     * {@code k} = 0 gives the embeddings.
     */
    public float[][] compute(int[][] rows, int k) {
        if (k < 0 || k > model.numBlocks()) {
            throw new IllegalArgumentException("prefix end " + k + " is outside [0, " + model.numBlocks() + "]");
        }
        float[][] x = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length == 0) {
                throw new IllegalArgumentException("row " + r + " has no token ids");
            }
            x[r] = model.embed(rows[r], 0);
        }
        // block-major: each streamed block is read once and run over every row
        for (int l = 0; l < k; l++) {
            for (int r = 0; r < rows.length; r++) {
                model.runBlock(l, x[r], rows[r].length);
            }
        }
        return x;
    }
}
