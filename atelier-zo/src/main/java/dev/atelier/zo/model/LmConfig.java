package dev.atelier.zo.model;

/**
 * What the forward pass needs to know about a checkpoint, family-neutral and validated; built
 * from config.json by {@link HfConfigReader}. Immutable.
 *
 * @param family which architecture (and tensor naming) the checkpoint uses
 * @param dims sizes of the network
 * @param activation the MLP activation (Llama: the gate's activation in SwiGLU)
 * @param normEps epsilon of every LayerNorm (GPT-2, OPT) or RMSNorm (Llama)
 * @param tiedHead true when the LM head reuses the token embedding (no {@code lm_head.weight} read)
 * @param attentionBias true when q/k/v/out projections have biases
 * @param mlpBias true when the MLP projections have biases
 * @param ropeTheta RoPE base for {@link Family#LLAMA}; 0 for the learned-position families
 */
public record LmConfig(
        Family family,
        Dims dims,
        Activation activation,
        double normEps,
        boolean tiedHead,
        boolean attentionBias,
        boolean mlpBias,
        double ropeTheta) {

    /**
     * Network sizes. {@code numHeads} query heads share {@code numKvHeads} key/value heads
     * (grouped-query attention; equal for GPT-2 and OPT), each of {@code headDim} channels.
     */
    public record Dims(
            int vocabSize,
            int hiddenSize,
            int numLayers,
            int numHeads,
            int numKvHeads,
            int headDim,
            int intermediateSize,
            int maxPositions) {
        public Dims {
            positive("vocab_size", vocabSize);
            positive("hidden size", hiddenSize);
            positive("number of layers", numLayers);
            positive("number of attention heads", numHeads);
            positive("number of key/value heads", numKvHeads);
            positive("head_dim", headDim);
            positive("intermediate (MLP) size", intermediateSize);
            positive("max positions", maxPositions);
            if (numHeads % numKvHeads != 0) {
                throw new CheckpointException("config.json: " + numHeads + " attention heads are not a multiple of "
                        + numKvHeads + " key/value heads");
            }
            fitsArray("vocab_size x hidden size", (long) vocabSize * hiddenSize);
            fitsArray("intermediate size x hidden size", (long) intermediateSize * hiddenSize);
            fitsArray("heads x head_dim x hidden size", (long) numHeads * headDim * hiddenSize);
        }

        /** Channels of all query heads together. */
        public int qDim() {
            return numHeads * headDim;
        }

        /** Channels of all key (or value) heads together. */
        public int kvDim() {
            return numKvHeads * headDim;
        }

        private static void positive(String what, int v) {
            if (v <= 0 || v > (1 << 24)) {
                throw new CheckpointException("config.json: " + what + " " + v + " is out of range [1, 16777216]");
            }
        }

        private static void fitsArray(String what, long n) {
            if (n > Integer.MAX_VALUE - 8) {
                throw new CheckpointException("config.json: " + what + " = " + n
                        + " elements exceeds one Java array (2^31 - 1); models this large are not supported");
            }
        }
    }

    public LmConfig {
        if (!(normEps > 0 && normEps < 1)) {
            throw new CheckpointException("config.json: norm epsilon " + normEps + " is out of range (0, 1)");
        }
        if (family == Family.LLAMA && !(ropeTheta > 1 && Double.isFinite(ropeTheta))) {
            throw new CheckpointException("config.json: rope_theta " + ropeTheta + " must be a finite number > 1");
        }
        if (family != Family.LLAMA && ropeTheta != 0) {
            throw new IllegalArgumentException("ropeTheta is only meaningful for llama, got " + ropeTheta);
        }
    }

    /** Number of parameters the checkpoint holds for this config (tied head counted once). */
    public long parameterCount() {
        Dims d = dims;
        long h = d.hiddenSize();
        long attn = h * d.qDim() + 2 * h * d.kvDim() + (long) d.qDim() * h;
        long mlp = (family == Family.LLAMA ? 3 : 2) * h * d.intermediateSize();
        long biases = attentionBias ? d.qDim() + 2L * d.kvDim() + h : 0;
        biases += mlpBias ? (family == Family.LLAMA ? 2L * d.intermediateSize() : d.intermediateSize()) + h : 0;
        long norms = family == Family.LLAMA ? 2 * h : 4 * h;
        long perLayer = attn + mlp + biases + norms;
        long embed = (long) d.vocabSize() * h;
        long positions = family == Family.LLAMA ? 0 : (long) (d.maxPositions() + positionOffset()) * h;
        long finalNorm = family == Family.LLAMA ? h : 2 * h;
        return embed + positions + d.numLayers() * perLayer + finalNorm + (tiedHead ? 0 : embed);
    }

    /** Index of position 0 in the learned position table (OPT reserves 2 rows); 0 otherwise. */
    public int positionOffset() {
        return family == Family.OPT ? 2 : 0;
    }
}
