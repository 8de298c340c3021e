package dev.atelier.zo.firstorder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.atelier.zo.model.Family;
import dev.atelier.zo.model.LmConfig;
import dev.atelier.zo.model.Param;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GPT-2 (pre-LayerNorm, learned positions, fused c_attn, gelu_new MLP, tied head) written as
 * DJL NDArray operations so PyTorch's autograd can differentiate it: the first-order side of the
 * workload (pretraining the base LM, the backprop + Adam baseline client). Parameters live as
 * NDArrays under their Hugging Face names and checkpoint layouts (Conv1D weights [in, out]), so
 * {@link #export} is a plain copy and the pure-Java {@code CausalLm} reads the result; a test
 * checks both forwards agree to 1e-4. Batches are [B, T] token ids; logits [B, T, vocab].
 * Not thread-safe; holds native memory in {@code manager} (the caller's).
 */
public final class DjlGpt2 {
    private final LmConfig config;
    private final Map<String, NDArray> params = new LinkedHashMap<>();

    /** Copies {@code values} (name → float32, the checkpoint's tensors) into {@code manager}. */
    public DjlGpt2(LmConfig config, Map<String, int[]> shapes, Map<String, float[]> values, NDManager manager) {
        if (config.family() != Family.GPT2 || !config.tiedHead()) {
            throw new IllegalArgumentException("the first-order engine runs GPT-2 models with a tied head only, not "
                    + config.family() + (config.tiedHead() ? "" : " with an untied head"));
        }
        if (config.activation() != dev.atelier.zo.model.Activation.GELU_NEW
                && config.activation() != dev.atelier.zo.model.Activation.GELU_PYTORCH_TANH) {
            throw new IllegalArgumentException(
                    "the first-order engine computes gelu_new only, not " + config.activation());
        }
        this.config = config;
        shapes.forEach((name, shape) -> {
            float[] v = values.get(name);
            if (v == null) {
                throw new IllegalArgumentException("no values for tensor " + name);
            }
            NDArray a = manager.create(
                    v, new Shape(java.util.Arrays.stream(shape).asLongStream().toArray()));
            a.setRequiresGradient(true);
            params.put(name, a);
        });
    }

    /** A copy of a loaded model's live parameters. */
    public static DjlGpt2 of(LmConfig config, List<Param> params, NDManager manager) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Param p : params) {
            shapes.put(p.name(), p.shape());
            values.put(p.name(), p.values());
        }
        return new DjlGpt2(config, shapes, values, manager);
    }

    public LmConfig config() {
        return config;
    }

    /** Trainable arrays by Hugging Face name (live: an optimizer updates them in place). */
    public Map<String, NDArray> parameters() {
        return params;
    }

    /** Current values by name, as float32 copies. */
    public Map<String, float[]> export() {
        Map<String, float[]> out = new LinkedHashMap<>();
        params.forEach((n, a) -> out.put(n, a.toFloatArray()));
        return out;
    }

    /** Logits [B, T, vocab] for ids [B, T] (int64 or int32), causal, positions 0..T−1. */
    public NDArray logits(NDArray ids) {
        long b = ids.getShape().get(0);
        long t = ids.getShape().get(1);
        int h = config.dims().hiddenSize();
        if (t > config.dims().maxPositions()) {
            throw new IllegalArgumentException("sequence of " + t + " tokens exceeds max positions "
                    + config.dims().maxPositions());
        }
        // Results of an op live in its first operand's manager: ops that start from a parameter
        // are moved to the batch's manager so closing it frees every intermediate of the step.
        NDManager local = ids.getManager();
        NDArray wte = p("transformer.wte.weight");
        NDArray emb = wte.get(new NDIndex("{}", ids.flatten().toType(DataType.INT64, false)));
        emb.attach(local);
        NDArray pos = p("transformer.wpe.weight").get(new NDIndex("0:{}", t));
        pos.attach(local);
        NDArray x = emb.reshape(b, t, h).add(pos);
        NDArray mask = causalMask(local, t);
        for (int l = 0; l < config.dims().numLayers(); l++) {
            String pre = "transformer.h." + l + ".";
            NDArray a = layerNorm(x, pre + "ln_1");
            NDArray qkv = a.matMul(p(pre + "attn.c_attn.weight")).add(p(pre + "attn.c_attn.bias"));
            NDList parts = qkv.split(3, 2);
            NDArray ctx = attention(parts.get(0), parts.get(1), parts.get(2), mask, b, t);
            x = x.add(ctx.matMul(p(pre + "attn.c_proj.weight")).add(p(pre + "attn.c_proj.bias")));
            NDArray m = layerNorm(x, pre + "ln_2");
            m = geluNew(m.matMul(p(pre + "mlp.c_fc.weight")).add(p(pre + "mlp.c_fc.bias")));
            x = x.add(m.matMul(p(pre + "mlp.c_proj.weight")).add(p(pre + "mlp.c_proj.bias")));
        }
        NDArray head = wte.transpose();
        head.attach(local);
        return layerNorm(x, "transformer.ln_f").matMul(head);
    }

    /**
     * Mean next-token cross entropy: position j predicts ids[:, j+1], counted where
     * {@code weights[:, j+1]} is 1 (0: padding, or a token not trained on). Scalar NDArray.
     */
    public NDArray loss(NDArray ids, NDArray weights) {
        long t = ids.getShape().get(1);
        NDArray logp = logits(ids).get(new NDIndex(":, 0:{}", t - 1)).logSoftmax(-1);
        NDArray target = ids.get(new NDIndex(":, 1:")).toType(DataType.INT64, false);
        NDArray w = weights.get(new NDIndex(":, 1:")).toType(DataType.FLOAT32, false);
        NDArray picked = logp.mul(target.oneHot(config.dims().vocabSize())).sum(new int[] {-1});
        return picked.mul(w).sum().neg().div(w.sum().maximum(1f));
    }

    /**
     * The label-restricted cross entropy (the loss the ZO stores train, {@code TaskStoreData}):
     * at each counted position, −log softmax over the logits of {@code labelTokens} alone of the
     * target token, which must be one of them. Scalar NDArray.
     */
    public NDArray labelLoss(NDArray ids, NDArray weights, int[] labelTokens) {
        long t = ids.getShape().get(1);
        int vocab = config.dims().vocabSize();
        NDManager local = ids.getManager();
        // one-hot selection [vocab, labels]: logits · S keeps the label tokens' logits only
        float[] sel = new float[vocab * labelTokens.length];
        for (int l = 0; l < labelTokens.length; l++) {
            sel[labelTokens[l] * labelTokens.length + l] = 1;
        }
        NDArray s = local.create(sel, new Shape(vocab, labelTokens.length));
        NDArray logp = logits(ids).get(new NDIndex(":, 0:{}", t - 1)).matMul(s).logSoftmax(-1);
        NDArray target = ids.get(new NDIndex(":, 1:")).toType(DataType.INT64, false);
        NDArray w = weights.get(new NDIndex(":, 1:")).toType(DataType.FLOAT32, false);
        NDArray picked = logp.mul(target.oneHot(vocab).matMul(s)).sum(new int[] {-1});
        return picked.mul(w).sum().neg().div(w.sum().maximum(1f));
    }

    private NDArray attention(NDArray q, NDArray k, NDArray v, NDArray mask, long b, long t) {
        int heads = config.dims().numHeads();
        int hd = config.dims().headDim();
        NDArray qh = q.reshape(b, t, heads, hd).transpose(0, 2, 1, 3);
        NDArray kh = k.reshape(b, t, heads, hd).transpose(0, 2, 3, 1);
        NDArray vh = v.reshape(b, t, heads, hd).transpose(0, 2, 1, 3);
        NDArray att = qh.matMul(kh).mul(1.0 / Math.sqrt(hd)).add(mask).softmax(-1);
        return att.matMul(vh).transpose(0, 2, 1, 3).reshape(b, t, (long) heads * hd);
    }

    private NDArray layerNorm(NDArray x, String name) {
        NDArray mean = x.mean(new int[] {-1}, true);
        NDArray centred = x.sub(mean);
        NDArray var = centred.square().mean(new int[] {-1}, true);
        return centred.div(var.add(config.normEps()).sqrt())
                .mul(p(name + ".weight"))
                .add(p(name + ".bias"));
    }

    private static NDArray geluNew(NDArray x) {
        NDArray inner =
                x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI)).tanh();
        return x.mul(0.5).mul(inner.add(1));
    }

    /** [T, T]: 0 on and below the diagonal, −1e9 above (future positions). */
    private static NDArray causalMask(NDManager m, long t) {
        float[] v = new float[(int) (t * t)];
        for (int i = 0; i < t; i++) {
            for (int j = i + 1; j < t; j++) {
                v[(int) (i * t + j)] = -1e9f;
            }
        }
        return m.create(v, new Shape(t, t));
    }

    private NDArray p(String name) {
        NDArray a = params.get(name);
        if (a == null) {
            throw new IllegalArgumentException("GPT-2 tensor " + name + " is missing");
        }
        return a;
    }
}
