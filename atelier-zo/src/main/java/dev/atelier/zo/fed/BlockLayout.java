package dev.atelier.zo.fed;

import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.train.Trainable;

/**
 * Where the decoder blocks sit in a model's full parameter list ({@link CausalLm#parameters}
 * order, which every party shares): {@code leading} tensors (token and position embeddings), then
 * {@code blocks} blocks of {@code perBlock} tensors each, then the final norm and head. Lets the
 * coordinator, which holds the model only as tensors, restrict a replay to a {@link BlockMask}
 * exactly as a node does. Immutable.
 */
public record BlockLayout(int leading, int perBlock, int blocks) {
    public BlockLayout {
        if (leading < 0 || perBlock < 1 || blocks < 1) {
            throw new IllegalArgumentException("layout needs leading >= 0, perBlock >= 1, blocks >= 1; got " + leading
                    + ", " + perBlock + ", " + blocks);
        }
    }

    /** The layout of a fully loaded model. */
    public static BlockLayout of(CausalLm model) {
        if (model.firstResidentBlock() != 0) {
            throw new IllegalArgumentException("the layout needs a model holding every block");
        }
        int perBlock = model.blockParameters(0).size();
        int first = model.parameters().indexOf(model.blockParameters(0).get(0));
        return new BlockLayout(first, perBlock, model.numBlocks());
    }

    /** The block of tensor {@code index}, or −1 for a tensor outside the blocks. */
    public int blockOf(int index) {
        int rel = index - leading;
        return rel < 0 || rel >= perBlock * blocks ? -1 : rel / perBlock;
    }

    /** The tensors of {@code all} that a seed with {@code mask} moves. */
    public Trainable restrict(Trainable all, long mask) {
        if (mask == BlockMask.FULL) {
            return all;
        }
        BlockMask.check(mask, blocks);
        return all.restrict(i -> {
            int b = blockOf(i);
            return b >= 0 && (mask & (1L << b)) != 0;
        });
    }
}
