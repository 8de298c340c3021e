package dev.atelier.zo.fed;

import dev.atelier.core.params.DType;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The coordinator's history of {@link RoundUpdate}s, from which any node replays the rounds it
 * missed, and their one tensor encoding, used for the instruction's catch-up parameters and for the
 * strategy's checkpointed server state alike. Three tensors of m entries, one per (round, index):
 * {@code zo.update.round} I32, {@code zo.update.seed} I32 and {@code zo.update.g} I64 (the
 * binary64 bits of G, since safetensors here carry no F64), rounds ascending, (index, mask)
 * ascending within a round: 16 bytes per entry. When any entry has a {@link BlockMask} other than
 * FULL (ZorBA), a fourth I64 tensor {@code zo.update.mask} carries every entry's mask: 24 bytes per
 * entry. No entries: an empty parameter set. Not thread-safe.
 */
public final class UpdateLog {
    public static final String ROUND = "zo.update.round";
    public static final String SEED = "zo.update.seed";
    public static final String G = "zo.update.g";
    public static final String MASK = "zo.update.mask";
    /** Wire bytes per entry of {@link #slice} (full-model entries only). */
    public static final int ENTRY_BYTES = 16;
    /** Wire bytes per entry when the slice carries block masks. */
    public static final int MASKED_ENTRY_BYTES = 24;

    private final TreeMap<Integer, RoundUpdate> rounds = new TreeMap<>();

    public void put(RoundUpdate u) {
        rounds.put(u.round(), u);
    }

    /** The updates of rounds in (after, upTo], ascending. */
    public List<RoundUpdate> between(int after, int upTo) {
        return after >= upTo
                ? List.of()
                : List.copyOf(rounds.subMap(after, false, upTo, true).values());
    }

    /** Bytes of {@link #slice}{@code (after, upTo)} on the wire (tensor data, no header). */
    public long bytes(int after, int upTo) {
        List<RoundUpdate> us = between(after, upTo);
        int per = us.stream().allMatch(RoundUpdate::allFull) ? ENTRY_BYTES : MASKED_ENTRY_BYTES;
        return us.stream().mapToLong(u -> (long) u.size() * per).sum();
    }

    /** The updates of rounds in (after, upTo] as tensors. */
    public ParamSet slice(int after, int upTo) {
        return encode(between(after, upTo));
    }

    /** Every update, as tensors (the server state). */
    public ParamSet all() {
        return encode(List.copyOf(rounds.values()));
    }

    public static ParamSet encode(List<RoundUpdate> updates) {
        int m = updates.stream().mapToInt(RoundUpdate::size).sum();
        if (m == 0) {
            return ParamSet.empty();
        }
        ByteBuffer r = le(4 * m);
        ByteBuffer s = le(4 * m);
        ByteBuffer g = le(8 * m);
        boolean masked = !updates.stream().allMatch(RoundUpdate::allFull);
        ByteBuffer k = masked ? le(8 * m) : null;
        for (RoundUpdate u : updates) {
            for (int i = 0; i < u.size(); i++) {
                r.putInt(u.round());
                s.putInt(u.index(i));
                g.putLong(Double.doubleToRawLongBits(u.scalar(i)));
                if (masked) {
                    k.putLong(u.mask(i));
                }
            }
        }
        long[] shape = {m};
        ParamSet.Builder b = ParamSet.builder()
                .put(ROUND, Tensor.of(DType.I32, shape, r.flip()))
                .put(SEED, Tensor.of(DType.I32, shape, s.flip()))
                .put(G, Tensor.of(DType.I64, shape, g.flip()));
        if (masked) {
            b.put(MASK, Tensor.of(DType.I64, shape, k.flip()));
        }
        return b.build();
    }

    /**
     * Parses {@link #encode}'s tensors, trusting nothing: exactly the three names, equal 1-D
     * lengths, rounds in (after, upTo] ascending, indices in [0, k) strictly ascending within a
     * round, G finite and within ±maxAbs.
     *
     * @throws IllegalArgumentException one line naming what is wrong
     */
    public static List<RoundUpdate> decode(ParamSet p, int after, int upTo, int k, double maxAbs) {
        if (p.isEmpty()) {
            return List.of();
        }
        boolean masked = p.names().equals(java.util.Set.of(ROUND, SEED, G, MASK));
        if (!masked && !p.names().equals(java.util.Set.of(ROUND, SEED, G))) {
            throw new IllegalArgumentException("update tensors must be " + ROUND + ", " + SEED + ", " + G + " (and "
                    + MASK + "); got " + p.names());
        }
        Tensor tr = p.get(ROUND);
        Tensor ts = p.get(SEED);
        Tensor tg = p.get(G);
        Tensor tm = masked ? p.get(MASK) : null;
        if (tr.dtype() != DType.I32
                || ts.dtype() != DType.I32
                || tg.dtype() != DType.I64
                || (masked && tm.dtype() != DType.I64)) {
            throw new IllegalArgumentException("update tensors must be I32, I32, I64 (and I64 masks)");
        }
        long n = tr.numElements();
        if (tr.shape().length != 1
                || ts.numElements() != n
                || tg.numElements() != n
                || (masked && tm.numElements() != n)
                || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("update tensors must be 1-D of one length");
        }
        long[] rs = tr.toLongs();
        long[] ss = ts.toLongs();
        long[] gs = tg.toLongs();
        long[] ms = masked ? tm.toLongs() : new long[(int) n];
        List<RoundUpdate> out = new ArrayList<>();
        int at = 0;
        int previous = after;
        while (at < n) {
            long round = rs[at];
            if (round <= previous || round > upTo) {
                throw new IllegalArgumentException(
                        "update round " + round + " is out of order or outside (" + after + ", " + upTo + "]");
            }
            int end = at;
            while (end < n && rs[end] == round) {
                end++;
            }
            int[] idx = new int[end - at];
            long[] mask = new long[end - at];
            double[] g = new double[end - at];
            for (int i = at; i < end; i++) {
                if (ss[i] < 0 || ss[i] >= k) {
                    throw new IllegalArgumentException("update seed index " + ss[i] + " is outside [0, " + k + ")");
                }
                double v = Double.longBitsToDouble(gs[i]);
                if (!Double.isFinite(v) || Math.abs(v) > maxAbs) {
                    throw new IllegalArgumentException(
                            "update scalar of seed " + ss[i] + " is " + v + ", outside ±" + maxAbs);
                }
                if (ms[i] < 0) {
                    throw new IllegalArgumentException("update mask " + ms[i] + " of seed " + ss[i] + " is negative");
                }
                idx[i - at] = (int) ss[i];
                mask[i - at] = ms[i];
                g[i - at] = v;
            }
            out.add(new RoundUpdate((int) round, idx, mask, g)); // refuses unsorted or repeated entries
            previous = (int) round;
            at = end;
        }
        return out;
    }

    /** Restores a log saved with {@link #all()} (the coordinator's resume). */
    public static UpdateLog restore(ParamSet state, int k, double maxAbs) {
        UpdateLog log = new UpdateLog();
        decode(state, 0, Integer.MAX_VALUE, k, maxAbs).forEach(log::put);
        return log;
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
