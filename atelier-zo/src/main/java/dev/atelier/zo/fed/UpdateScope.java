package dev.atelier.zo.fed;

import dev.atelier.zo.train.Trainable;
import dev.atelier.zo.train.TrainableScope;
import java.util.ArrayList;
import java.util.List;

/**
 * What one seed of the update history perturbs and moves, given the {@link BlockMask} it travels
 * with: the one rule a node's local step and every replay (coordinator, whole-model node, on-disk
 * replica) follow, so all parties move the same elements.
 *
 * <ul>
 *   <li>{@link BlockMask#FULL} (FedKSeed): the tensors {@code scope} admits ({@code zo.trainable},
 *       rows allowed).
 *   <li>a block mask (ZorBA): {@code scope}'s tensors inside the mask's blocks, plus the tensors
 *       {@code always} admits ({@code zo.always_trainable}, rows allowed; null = none), which
 *       every admitted node trains whatever its blocks, e.g. the output head's label rows. They
 *       must lie outside every block: blocks are the allocator's to assign, and a node always holds
 *       the embeddings, final norm and head, so {@code always} adds no memory to a block set.
 * </ul>
 *
 * Immutable, thread-safe.
 */
public record UpdateScope(TrainableScope scope, TrainableScope always) {
    /** Every tensor under FULL, the mask's blocks alone under a block mask. */
    public static final UpdateScope BLOCKS_ONLY = new UpdateScope(TrainableScope.ALL, null);

    public UpdateScope {
        java.util.Objects.requireNonNull(scope, "scope");
        if (always != null && always.all()) {
            throw new IllegalArgumentException(ZoFedSettings.ALWAYS_TRAINABLE
                    + " must name tensors outside the blocks (e.g. the head's label rows), not every tensor");
        }
    }

    /** Whether a seed with {@code mask} moves tensor {@code tensor} (full-model index) named {@code name}. */
    public boolean moves(BlockLayout layout, long mask, int tensor, String name) {
        if (mask == BlockMask.FULL) {
            return scope.test(name);
        }
        BlockMask.check(mask, layout.blocks());
        int b = layout.blockOf(tensor);
        if (b >= 0) {
            if (always != null && always.test(name)) {
                throw new IllegalArgumentException(ZoFedSettings.ALWAYS_TRAINABLE + " '" + always + "' names '" + name
                        + "' of block " + b + "; under a block mask the blocks are the allocator's to assign");
            }
            return (mask & (1L << b)) != 0 && scope.test(name);
        }
        return always != null && always.test(name);
    }

    /** The rows of tensor {@code name} a seed with {@code mask} moves (null: all), when {@link #moves}. */
    public int[] rows(BlockLayout layout, long mask, int tensor, String name) {
        return mask != BlockMask.FULL && layout.blockOf(tensor) < 0 ? always.rows(name) : scope.rows(name);
    }

    /**
     * The entries of {@code all} (whole tensors) a seed with {@code mask} moves, each cut to its
     * rows; under FULL a scope admitting none of them is refused ({@link TrainableScope#restrict}).
     */
    public Trainable moved(Trainable all, BlockLayout layout, long mask) {
        if (mask == BlockMask.FULL) {
            return scope.restrict(all);
        }
        List<Trainable.Entry> out = new ArrayList<>();
        for (Trainable.Entry e : all.entries()) {
            String name = e.param().name();
            if (e.rows() != null) {
                throw new IllegalArgumentException(name + " is already row-restricted; pass whole tensors");
            }
            if (moves(layout, mask, e.index(), name)) {
                int[] rows = rows(layout, mask, e.index(), name);
                out.add(rows == null ? e : new Trainable.Entry(e.index(), e.param(), rows));
            }
        }
        return Trainable.of(out);
    }

    /** Scalars {@code always} makes every node under a block mask perturb besides its blocks (0: none). */
    public long alwaysScalars(Trainable all, BlockLayout layout) {
        return always == null
                ? 0
                : all.restrict(i -> layout.blockOf(i) < 0).restrictScope(always).size();
    }
}
