package dev.atelier.zo.model;

import java.util.ArrayList;
import java.util.List;

/**
 * One pre-norm transformer decoder layer: x += Attn(norm1(x)); x += MLP(norm2(x)). Attention is
 * causal multi-head with grouped key/value heads (query head h reads kv head h / (heads/kvHeads)),
 * optional RoPE on q and k, softmax in double. The MLP is act(fc1·x)→fc2 (GPT-2, OPT) or
 * down(act(gate·x) ⊙ up·x) (Llama SwiGLU; {@code gate} non-null). Reads its parameters only.
 */
final class DecoderBlock {
    /** The attention projections: either {@code qkv} fused (GPT-2) or {@code q}, {@code k}, {@code v}. */
    record Attention(Linear qkv, Linear q, Linear k, Linear v, Linear out) {}

    /** {@code gate} is null for the two-layer MLP. */
    record Mlp(Linear gate, Linear up, Linear down, Activation activation) {}

    private final LmConfig.Dims dims;
    private final Norm norm1;
    private final Attention attn;
    private final Norm norm2;
    private final Mlp mlp;
    private final Rope rope;

    /** {@code rope} is null for learned-position families. */
    DecoderBlock(LmConfig.Dims dims, Norm norm1, Attention attn, Norm norm2, Mlp mlp, Rope rope) {
        this.dims = dims;
        this.norm1 = norm1;
        this.attn = attn;
        this.norm2 = norm2;
        this.mlp = mlp;
        this.rope = rope;
    }

    /** Parameters in checkpoint order: norm1, attention, norm2, MLP. */
    List<Param> params() {
        List<Param> p = new ArrayList<>(norm1.params());
        for (Linear l : new Linear[] {attn.qkv, attn.q, attn.k, attn.v, attn.out}) {
            if (l != null) {
                p.addAll(l.params());
            }
        }
        p.addAll(norm2.params());
        for (Linear l : new Linear[] {mlp.gate, mlp.up, mlp.down}) {
            if (l != null) {
                p.addAll(l.params());
            }
        }
        return p;
    }

    /** Updates {@code x} ([n, hidden], positions cache.length() ..) in place; stores k/v in the cache. */
    void forward(float[] x, int n, KvCache cache, int layer) {
        int hidden = dims.hiddenSize();
        float[] h = norm1.forward(x, n);
        float[] q;
        float[] k;
        float[] v;
        if (attn.qkv != null) {
            float[] qkv = attn.qkv.forward(h, n);
            q = new float[n * dims.qDim()];
            k = new float[n * dims.kvDim()];
            v = new float[n * dims.kvDim()];
            int w = dims.qDim() + 2 * dims.kvDim();
            for (int r = 0; r < n; r++) {
                System.arraycopy(qkv, r * w, q, r * dims.qDim(), dims.qDim());
                System.arraycopy(qkv, r * w + dims.qDim(), k, r * dims.kvDim(), dims.kvDim());
                System.arraycopy(qkv, r * w + dims.qDim() + dims.kvDim(), v, r * dims.kvDim(), dims.kvDim());
            }
        } else {
            q = attn.q.forward(h, n);
            k = attn.k.forward(h, n);
            v = attn.v.forward(h, n);
        }
        int past = cache.length();
        if (rope != null) {
            for (int r = 0; r < n; r++) {
                rope.apply(q, r, dims.numHeads(), past + r);
                rope.apply(k, r, dims.numKvHeads(), past + r);
            }
        }
        cache.put(layer, k, v, n);
        float[] ctx = attend(q, n, past, cache.keys(layer), cache.values(layer));
        add(x, attn.out.forward(ctx, n));
        float[] h2 = norm2.forward(x, n);
        float[] m;
        if (mlp.gate != null) {
            float[] g = mlp.gate.forward(h2, n);
            float[] u = mlp.up.forward(h2, n);
            for (int i = 0; i < g.length; i++) {
                g[i] = mlp.activation.apply(g[i]) * u[i];
            }
            m = mlp.down.forward(g, n);
        } else {
            float[] a = mlp.up.forward(h2, n);
            mlp.activation.applyInPlace(a, 0, a.length);
            m = mlp.down.forward(a, n);
        }
        add(x, m);
        assert x.length == n * hidden;
    }

    /** softmax(q·kᵀ/√d + causal mask)·v for n new rows at positions past .. past+n−1. */
    private float[] attend(float[] q, int n, int past, float[] keys, float[] values) {
        int hd = dims.headDim();
        int kvDim = dims.kvDim();
        int group = dims.numHeads() / dims.numKvHeads();
        float scale = (float) (1 / Math.sqrt(hd));
        float[] ctx = new float[n * dims.qDim()];
        double[] p = new double[past + n];
        for (int r = 0; r < n; r++) {
            int visible = past + r + 1;
            for (int head = 0; head < dims.numHeads(); head++) {
                int qo = r * dims.qDim() + head * hd;
                int ko = (head / group) * hd;
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s < visible; s++) {
                    p[s] = Kernels.dot(q, qo, keys, s * kvDim + ko, hd) * scale;
                    max = Math.max(max, p[s]);
                }
                double sum = 0;
                for (int s = 0; s < visible; s++) {
                    p[s] = Math.exp(p[s] - max);
                    sum += p[s];
                }
                for (int s = 0; s < visible; s++) {
                    Kernels.axpy((float) (p[s] / sum), values, s * kvDim + ko, ctx, qo, hd);
                }
            }
        }
        return ctx;
    }

    private static void add(float[] x, float[] delta) {
        for (int i = 0; i < x.length; i++) {
            x[i] += delta[i];
        }
    }
}
