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
    /** One trainable tensor and its index in the model's full parameter list. */
    public record Entry(int index, Param param) {}

    private final List<Entry> entries;

    private Trainable(List<Entry> entries) {
        this.entries = List.copyOf(entries);
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

    /** The entries whose checkpoint name satisfies {@code keep} (a {@link TrainableScope}), in order. */
    public Trainable restrictNames(Predicate<String> keep) {
        return new Trainable(
                entries.stream().filter(e -> keep.test(e.param().name())).toList());
    }

    /** Trainable tensors in increasing index order. */
    public List<Entry> entries() {
        return entries;
    }

    /** Number of trainable scalars. */
    public long size() {
        return entries.stream().mapToLong(e -> e.param().values().length).sum();
    }
}
