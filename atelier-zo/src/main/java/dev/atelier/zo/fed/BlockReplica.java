package dev.atelier.zo.fed;

import dev.atelier.core.params.DType;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.F32Copy;
import dev.atelier.zo.model.Param;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A ZorBA node's replica of the global model when it may hold only some blocks in memory: the
 * exact F32 global model lives in an {@link F32Copy} on the node's disk, and in memory only a
 * model holding the blocks the coordinator's memory rule makes resident ({@link #hold}), with
 * embeddings, final norm and head; every other block is read from the copy into one slot when a
 * forward reaches it. Replays and checkpoints go to the copy one tensor at a time and to the held
 * tensors too (write-through), so the copy is always the global model, its digest is checked
 * against the coordinator's, and a new held set is simply loaded from it. Not thread-safe.
 */
final class BlockReplica {
    private final Path source;
    private final Path dir;
    private F32Copy copy;
    private BlockLayout layout;
    private CausalLm held;
    private SortedSet<Integer> blocks;
    /** The copy's digest since its last change (null: to be read again): an unchanged copy is not re-read per instruction. */
    private String digest;

    /** Writes the copy of the initial model in {@code source} into {@code dir}. */
    BlockReplica(Path source, Path dir) throws IOException {
        this.source = source;
        this.dir = dir;
        reset();
    }

    /** Back to the initial model: the copy rewritten from the source folder, nothing held. */
    void reset() throws IOException {
        held = null;
        blocks = null;
        digest = null;
        copy = F32Copy.create(source, dir);
        layout = new BlockLayout(copy.leading(), copy.perBlock(), copy.blocks());
    }

    BlockLayout layout() {
        return layout;
    }

    /** The folder of the copy (a Hugging Face folder: {@link CausalLm#load} gives the whole global model). */
    Path dir() {
        return copy.dir();
    }

    /** The model holding exactly {@code resident} (non-empty) in memory, loaded unless it is already. */
    CausalLm hold(SortedSet<Integer> resident) throws IOException {
        if (!resident.equals(blocks)) {
            held = null; // the old blocks go before the new ones are read
            held = CausalLm.loadHeld(copy.dir(), resident);
            blocks = new TreeSet<>(resident);
        }
        return held;
    }

    /** The blocks held now (null before the first {@link #hold}). */
    SortedSet<Integer> held() {
        return blocks == null ? null : new TreeSet<>(blocks);
    }

    /** The held model, or one holding only the top block when nothing is held yet (evaluation). */
    CausalLm model() throws IOException {
        return held != null ? held : hold(new TreeSet<>(List.of(copy.blocks() - 1)));
    }

    /**
     * Applies {@code updates} in order over the tensors they move ({@link UpdateScope}): per
     * tensor, read (or take the held array), every entry of every update that moves it
     * ({@link Replay#applyTo}), written back. The floats equal {@link Replay#apply} on a whole
     * model.
     */
    void replay(List<RoundUpdate> updates, SeedPool pool, ZoFedSettings s) {
        if (updates.isEmpty()) {
            return;
        }
        digest = null;
        UpdateScope rule = s.updateScope();
        Map<Integer, Param> inMemory = inMemory();
        boolean streamedChanged = false;
        for (int t = 0; t < copy.size(); t++) {
            String name = copy.name(t);
            if (!moved(updates, t, name, rule)) {
                continue;
            }
            Param p = inMemory.get(t);
            float[] v = p != null ? p.values() : new float[copy.length(t)];
            if (p == null) {
                copy.read(t, v);
                streamedChanged = true;
            }
            int[] shape = copy.shape(t);
            int rowLength = shape.length == 0 || shape[0] == 0 ? 1 : v.length / shape[0];
            for (RoundUpdate u : updates) {
                Replay.applyTo(v, t, name, rowLength, layout, pool, u, s.replayLr(u.round()), rule);
            }
            copy.write(t, v);
        }
        if (streamedChanged && held != null) {
            held.rereadStreamed();
        }
    }

    private boolean moved(List<RoundUpdate> updates, int tensor, String name, UpdateScope rule) {
        for (RoundUpdate u : updates) {
            for (int i = 0; i < u.size(); i++) {
                if (rule.moves(layout, u.mask(i), tensor, name)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Replaces the global model with {@code sent} (the coordinator's checkpoint: every tensor, in order, F32, finite). */
    void load(ParamSet sent) {
        if (sent.size() != copy.size()) {
            throw new IllegalArgumentException("checkpoint has " + sent.size() + " tensors, the model " + copy.size());
        }
        digest = null;
        Map<Integer, Param> inMemory = inMemory();
        for (int t = 0; t < copy.size(); t++) {
            Tensor x = sent.get(copy.name(t));
            if (x == null || x.dtype() != DType.F32 || x.numElements() != copy.length(t)) {
                throw new IllegalArgumentException("checkpoint tensor '" + copy.name(t) + "' is missing or differs");
            }
            float[] v = x.toFloats();
            for (float f : v) {
                if (!Float.isFinite(f)) {
                    throw new IllegalArgumentException("checkpoint tensor '" + copy.name(t) + "' holds NaN or Inf");
                }
            }
            copy.write(t, v);
            Param p = inMemory.get(t);
            if (p != null) {
                System.arraycopy(v, 0, p.values(), 0, v.length);
            }
        }
        if (held != null) {
            held.rereadStreamed();
        }
    }

    /**
     * The global model's digest ({@link Replay#sha256} of its parameters), read from the copy once
     * after each change; only this class writes the copy.
     */
    String sha256() {
        if (digest == null) {
            digest = copy.sha256();
        }
        return digest;
    }

    /** The held model's live tensors by full-model index. */
    private Map<Integer, Param> inMemory() {
        Map<Integer, Param> out = new HashMap<>();
        if (held != null) {
            List<Param> ps = held.parameters();
            int[] index = held.parameterIndices();
            for (int i = 0; i < ps.size(); i++) {
                out.put(index[i], ps.get(i));
            }
        }
        return out;
    }
}
