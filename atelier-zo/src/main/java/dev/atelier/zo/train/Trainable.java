package dev.atelier.zo.train;

import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.Param;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The parameters a zeroth-order step perturbs and updates: a subset of {@link CausalLm#parameters}
 * with each tensor's index in that full list. The index, not the position in the subset, keys the
 * noise ({@link ZoNoise}), so a tensor gets the same z whichever other tensors are trainable: this
 * is the per-block mask hook (part 2 activates different blocks on different clients). Immutable;
 * the {@link Param} arrays it holds are live model storage. For a model holding only some blocks
 * ({@link CausalLm#load(java.nio.file.Path, int)}) the index is still the full model's
 * ({@link CausalLm#parameterIndices}).
 */
public final class Trainable {
    /**
     * One trainable tensor and its index in the model's full parameter list; {@code rows} (null =
     * every element) restricts it to those rows of its first dimension, ascending and distinct
     * (a {@link TrainableScope} entry such as {@code wte.weight[5,17]}: the output head's label
     * rows). The rows' elements get the same z as in a whole-tensor step ({@link
     * ZoNoise#addScaledRows}).
     */
    public record Entry(int index, Param param, int[] rows) {
        public Entry {
            if (rows != null) {
                rows = rows.clone();
                int n = param.shape().length == 0 ? 1 : param.shape()[0];
                for (int i = 0; i < rows.length; i++) {
                    if (rows[i] < 0 || rows[i] >= n || (i > 0 && rows[i] <= rows[i - 1])) {
                        throw new IllegalArgumentException(param.name() + ": rows " + java.util.Arrays.toString(rows)
                                + " must be ascending, distinct and in [0, " + n + ")");
                    }
                }
            }
        }

        /** Every element of {@code param}. */
        public Entry(int index, Param param) {
            this(index, param, null);
        }

        @Override
        public int[] rows() {
            return rows == null ? null : rows.clone();
        }

        /** Elements per row of the first dimension. */
        public int rowLength() {
            int[] shape = param.shape();
            return shape.length == 0 || shape[0] == 0 ? 1 : param.values().length / shape[0];
        }

        /** Trainable scalars of this entry. */
        public long size() {
            return rows == null ? param.values().length : (long) rows.length * rowLength();
        }

        /** θ ← θ + c·z(seed) over this entry's elements. */
        void addScaled(long seed, double c) {
            if (rows == null) {
                ZoNoise.addScaled(param.values(), seed, index, c);
            } else {
                ZoNoise.addScaledRows(param.values(), seed, index, c, rows, rowLength());
            }
        }
    }

    private final List<Entry> entries;

    private Trainable(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** These entries, which must be in strictly increasing index order. */
    public static Trainable of(List<Entry> entries) {
        for (int i = 1; i < entries.size(); i++) {
            if (entries.get(i).index() <= entries.get(i - 1).index()) {
                throw new IllegalArgumentException("trainable entries must be in increasing index order");
            }
        }
        return new Trainable(entries);
    }

    /** Every parameter of the model. */
    public static Trainable all(CausalLm model) {
        return where(model, p -> true);
    }

    /**
     * Every tensor of {@code params}, indexed by its position there: for a replica of a model held
     * as plain tensors (the federation's coordinator), which must list them in
     * {@link CausalLm#parameters} order so the indices, and therefore the noise, agree.
     */
    public static Trainable allOf(List<Param> params) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            out.add(new Entry(i, params.get(i)));
        }
        return new Trainable(out);
    }

    /** The parameters whose checkpoint name satisfies {@code include}. */
    public static Trainable where(CausalLm model, Predicate<String> include) {
        List<Param> params = model.parameters();
        int[] index = model.parameterIndices();
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            if (include.test(params.get(i).name())) {
                out.add(new Entry(index[i], params.get(i)));
            }
        }
        return new Trainable(out);
    }

    /**
     * The parameters of the decoder blocks {@code layers} (each in [0, numBlocks) and resident), nothing else:
     * embeddings, final norm and head stay frozen.
     */
    public static Trainable blocks(CausalLm model, Set<Integer> layers) {
        Set<Param> chosen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int l : layers) {
            if (l < 0 || l >= model.numBlocks()) {
                throw new IllegalArgumentException(
                        "block " + l + " is outside [0, " + model.numBlocks() + ") (the model's blocks)");
            }
            chosen.addAll(model.blockParameters(l));
        }
        List<Param> params = model.parameters();
        int[] index = model.parameterIndices();
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            if (chosen.contains(params.get(i))) {
                out.add(new Entry(index[i], params.get(i)));
            }
        }
        return new Trainable(out);
    }

    /** The entries whose full-model index satisfies {@code keep} (a block mask), in order. */
    public Trainable restrict(java.util.function.IntPredicate keep) {
        return new Trainable(entries.stream().filter(e -> keep.test(e.index())).toList());
    }

    /** The entries whose checkpoint name satisfies {@code keep}, in order (whole tensors). */
    public Trainable restrictNames(Predicate<String> keep) {
        return new Trainable(
                entries.stream().filter(e -> keep.test(e.param().name())).toList());
    }

    /**
     * The entries {@code scope} admits, in order, each cut to the rows the scope names for it
     * ({@link TrainableScope#rows}); refuses a row outside a tensor.
     */
    public Trainable restrictScope(TrainableScope scope) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (!scope.test(e.param().name())) {
                continue;
            }
            int[] rows = scope.rows(e.param().name());
            if (rows != null && e.rows() != null) {
                throw new IllegalArgumentException(e.param().name() + " is already row-restricted");
            }
            out.add(rows == null ? e : new Entry(e.index(), e.param(), rows));
        }
        return new Trainable(out);
    }

    /** Trainable tensors in increasing index order. */
    public List<Entry> entries() {
        return entries;
    }

    /** Number of trainable scalars. */
    public long size() {
        return entries.stream().mapToLong(Entry::size).sum();
    }
}
