package dev.atelier.zo.fed;

import dev.atelier.core.params.DType;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.zo.model.Param;
import dev.atelier.zo.train.SeedScalar;
import dev.atelier.zo.train.Trainable;
import dev.atelier.zo.train.ZoNoise;
import dev.atelier.zo.train.ZoUpdate;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * How every party advances the global model and proves it holds the same one: {@link #apply}
 * replays a {@link RoundUpdate} in pure Java ({@link ZoUpdate#update} per entry, (index, mask)
 * ascending, each over what its {@link BlockMask} moves, {@link UpdateScope}),
 * and {@link #sha256} digests the parameters (the float32 little-endian bytes of every tensor in
 * {@code CausalLm.parameters()} order, names not included), which the coordinator sends with every
 * instruction and each node checks after catching up. The coordinator holds the model as a
 * {@link ParamSet}; {@link #advance} converts, replays and converts back. Stateless.
 */
public final class Replay {
    private Replay() {}

    /** θ ← θ − lr·G_s·z(seed_s) over {@code trainable}, for a full-model {@code u} in index order. */
    public static void apply(Trainable trainable, SeedPool pool, RoundUpdate u, double lr) {
        if (!u.allFull()) {
            throw new IllegalArgumentException(u + " has block masks; replaying it needs the model's block layout");
        }
        List<SeedScalar> steps = new ArrayList<>(u.size());
        for (int i = 0; i < u.size(); i++) {
            steps.add(new SeedScalar(pool.seed(u.index(i)), u.scalar(i)));
        }
        ZoUpdate.apply(trainable, steps, lr);
    }

    /**
     * θ ← θ − lr·G·z(seed) for each entry of {@code u} in (index, mask) order, each over the
     * tensors of {@code all} its mask names ({@code layout}; FULL: all of them). A full-model
     * {@code u} gives exactly {@link #apply(Trainable, SeedPool, RoundUpdate, double)}'s floats.
     */
    public static void apply(Trainable all, BlockLayout layout, SeedPool pool, RoundUpdate u, double lr) {
        apply(all, layout, pool, u, lr, UpdateScope.BLOCKS_ONLY);
    }

    /**
     * As above, each entry over what {@code rule} says a seed with its mask moves ({@code all}:
     * whole tensors, {@link UpdateScope#moved}).
     */
    public static void apply(
            Trainable all, BlockLayout layout, SeedPool pool, RoundUpdate u, double lr, UpdateScope rule) {
        java.util.Map<Long, Trainable> byMask = new java.util.HashMap<>();
        for (int i = 0; i < u.size(); i++) {
            Trainable moved = byMask.computeIfAbsent(u.mask(i), m -> rule.moved(all, layout, m));
            ZoUpdate.update(moved, new SeedScalar(pool.seed(u.index(i)), u.scalar(i)), lr);
        }
    }

    /**
     * What {@link #apply(Trainable, BlockLayout, SeedPool, RoundUpdate, double, UpdateScope)} does
     * to tensor {@code tensor} (its full-model index, checkpoint name {@code name}) alone, into
     * {@code values}: the same additions in the same order, so the same floats; {@code rowLength}
     * is the elements per row of its first dimension. Each tensor's update depends on nothing but
     * its own values, which lets a replica kept on disk replay one tensor at a time
     * ({@link BlockReplica}).
     */
    public static void applyTo(
            float[] values,
            int tensor,
            String name,
            int rowLength,
            BlockLayout layout,
            SeedPool pool,
            RoundUpdate u,
            double lr,
            UpdateScope rule) {
        for (int i = 0; i < u.size(); i++) {
            long mask = u.mask(i);
            if (rule.moves(layout, mask, tensor, name)) {
                long seed = pool.seed(u.index(i));
                double c = -(lr * u.scalar(i));
                int[] rows = rule.rows(layout, mask, tensor, name);
                if (rows == null) {
                    ZoNoise.addScaled(values, seed, tensor, c);
                } else {
                    ZoNoise.addScaledRows(values, seed, tensor, c, rows, rowLength);
                }
            }
        }
    }

    /** The coordinator's replica: {@code model} (F32 tensors in parameters() order) advanced by {@code u}. */
    public static ParamSet advance(ParamSet model, SeedPool pool, RoundUpdate u, double lr) {
        return advance(model, null, pool, u, lr);
    }

    /** As above with block masks ({@code layout} may be null only for a full-model {@code u}). */
    public static ParamSet advance(ParamSet model, BlockLayout layout, SeedPool pool, RoundUpdate u, double lr) {
        return advance(model, layout, pool, u, lr, UpdateScope.BLOCKS_ONLY);
    }

    /**
     * As above, each seed moving what {@code rule} says for its mask ({@code zo.trainable} and
     * {@code zo.always_trainable}); {@code lr} is the round's per-pair coefficient
     * ({@link ZoFedSettings#replayLr}).
     */
    public static ParamSet advance(
            ParamSet model, BlockLayout layout, SeedPool pool, RoundUpdate u, double lr, UpdateScope rule) {
        List<Param> params = toParams(model);
        Trainable all = Trainable.allOf(params);
        if (layout == null) {
            apply(rule.scope().restrict(all), pool, u, lr);
        } else {
            apply(all, layout, pool, u, lr, rule);
        }
        ParamSet.Builder b = ParamSet.builder();
        for (Param p : params) {
            int[] s = p.shape();
            long[] shape = new long[s.length];
            for (int i = 0; i < s.length; i++) {
                shape[i] = s[i];
            }
            b.putF32(p.name(), shape, p.values());
        }
        return b.build();
    }

    /** Float copies of an all-F32 parameter set, in its order. */
    public static List<Param> toParams(ParamSet model) {
        List<Param> out = new ArrayList<>(model.size());
        for (var e : model.asMap().entrySet()) {
            Tensor t = e.getValue();
            if (t.dtype() != DType.F32) {
                throw new IllegalArgumentException(
                        "model tensor '" + e.getKey() + "' is " + t.dtype() + "; the zo federation keeps F32");
            }
            long[] s = t.shape();
            int[] shape = new int[s.length];
            for (int i = 0; i < s.length; i++) {
                shape[i] = Math.toIntExact(s[i]);
            }
            out.add(new Param(e.getKey(), shape, t.toFloats()));
        }
        return out;
    }

    /** SHA-256 of live parameters, hex. */
    public static String sha256(List<Param> params) {
        MessageDigest md = sha();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (Param p : params) {
            for (float v : p.values()) {
                if (buf.remaining() < 4) {
                    md.update(buf.array(), 0, buf.position());
                    buf.clear();
                }
                buf.putFloat(v);
            }
        }
        md.update(buf.array(), 0, buf.position());
        return HexFormat.of().formatHex(md.digest());
    }

    /** SHA-256 of an all-F32 parameter set, hex; equals {@link #sha256(List)} of the same values. */
    public static String sha256(ParamSet model) {
        MessageDigest md = sha();
        for (var e : model.asMap().entrySet()) {
            if (e.getValue().dtype() != DType.F32) {
                throw new IllegalArgumentException("model tensor '" + e.getKey() + "' is not F32");
            }
            md.update(e.getValue().data());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256", e);
        }
    }
}
