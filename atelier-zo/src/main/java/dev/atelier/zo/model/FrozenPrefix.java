package dev.atelier.zo.model;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The output of a frozen prefix (embeddings and decoder blocks [0, k)) for a set of token rows:
 * the input of block k, which a client whose active blocks all lie at or above k reuses for both
 * perturbed passes of every step, instead of running the prefix twice per step. Blocks the model
 * holds run from memory; blocks below {@link CausalLm#firstResidentBlock} are read from the
 * checkpoint folder one at a time into one reused block slot (one block's F32 bytes, allocated
 * once), run over every row, and overwritten by the next. Bit-identical to the same blocks in a
 * fully loaded model. Not thread-safe (the slot).
 */
public final class FrozenPrefix {
    private final CausalLm model;
    private final Path dir;
    private DecoderBlock slot;
    /** The block the slot was first loaded as (its parameter names), and the one it holds now. */
    private int slotNames = -1;

    private int slotLayer = -1;

    /** {@code dir}: the checkpoint {@code model} was loaded from (read for non-resident blocks). */
    public FrozenPrefix(CausalLm model, Path dir) {
        this.model = model;
        this.dir = dir;
    }

    /**
     * Hidden states [rows[r].length, hidden] at the input of block {@code k} for each row;
     * {@code k} = 0 gives the embeddings.
     */
    public float[][] compute(int[][] rows, int k) throws IOException {
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
        int kvDim = model.config().dims().kvDim();
        for (int l = 0; l < k; l++) {
            if (l >= model.firstResidentBlock()) {
                for (int r = 0; r < rows.length; r++) {
                    model.runBlock(l, x[r], rows[r].length);
                }
                continue;
            }
            if (slot == null) {
                slot = HfModelLoader.block(dir, model.config(), l);
                slotNames = l;
            } else if (slotLayer != l) {
                HfModelLoader.readBlockInto(dir, slot, slotNames, l);
            }
            slotLayer = l;
            for (int r = 0; r < rows.length; r++) {
                slot.forward(x[r], rows[r].length, new KvCache(1, rows[r].length, kvDim), 0);
            }
        }
        return x;
    }
}
