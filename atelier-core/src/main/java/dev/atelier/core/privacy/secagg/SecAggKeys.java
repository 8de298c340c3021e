package dev.atelier.core.privacy.secagg;

/**
 * The instruction config keys and reply tensor name of SecAgg+ rounds, shared by the coordinator's
 * round driver and the node's {@link SecAggNode}; declared once here.
 */
public final class SecAggKeys {
    private SecAggKeys() {}

    /** On a TRAIN instruction: "true" when the update must not leave in the clear (kept for the SecAgg stages). */
    public static final String TRAIN = "secagg.train";

    /** On a TRAIN instruction: L2 clip norm of the update before quantisation; 0 = no L2 clip (no DP). */
    public static final String L2_CLIP = "secagg.l2_clip";

    /** On a SECAGG instruction: the stage's wire name ({@link SecAggStage#wireName()}). */
    public static final String STAGE = "secagg.stage";

    /** On the setup stage: quantiser clipping range {@code c}. */
    public static final String CLIP_RANGE = "secagg.clip_range";

    /** On the setup stage: quantisation levels {@code L}. */
    public static final String QUANTIZATION_RANGE = "secagg.quantization_range";

    /** On the collect stage: the weight in (0, 1] the node multiplies its update by before quantising. */
    public static final String WEIGHT = "secagg.weight";

    /** On the collect stage: variance, in quantisation steps squared, of this node's discrete Gaussian noise share (0 = none). */
    public static final String NOISE_VARIANCE = "secagg.noise_variance";

    /** The collect stage's reply tensor: the masked vector as int32, shape {@code [vectorLength]}. */
    public static final String MASKED_TENSOR = "secagg.masked";

    /**
     * On the collect stage, adaptive clipping only: the integer scale {@code K} (in [1, L/2]) of the
     * extra last coordinate, {@code L/2 + K (2 b - 1)} with {@code b} = 1 when the node's update was
     * within {@link #L2_CLIP}; absent or 0 = no extra coordinate.
     */
    public static final String COUNT_SCALE = "secagg.count_scale";

    /** On the collect stage, adaptive clipping only: variance (integer units squared) of the node's discrete Gaussian noise share on the count coordinate. */
    public static final String COUNT_NOISE_VARIANCE = "secagg.count_noise_variance";
}
