package dev.atelier.sketch.fed;

import dev.atelier.core.message.Config;
import dev.atelier.sketch.folder.Canvas;

/**
 * Config keys of the {@code sketch} workload (besides {@link dev.atelier.core.strategy.TrainKeys}'
 * {@code local_steps} and {@code proximal_mu}, read per round). Node-level keys are read once when
 * the node is created.
 */
public final class SketchKeys {
    /** Designer profile name (default data when no data folder is given; also the display name). */
    public static final String DESIGNER = "designer";
    /** Seed of the model initialisation, shared by the whole federation (default 0). */
    public static final String SEED = "seed";
    /** Generator warm-up steps before the node's first round (default {@value #DEFAULT_WARMUP_STEPS}). */
    public static final String WARMUP_STEPS = "warmup_steps";
    /** Whether the designer opts in to share its style card on analytics tasks (default false). */
    public static final String SHARE_STYLE_CARD = "share_style_card";
    /** Path of the public feature network weights (safetensors, prefix {@code net}). */
    public static final String ENCODER = "encoder";
    /** Fashion-MNIST folder for the default designer data, or {@code fixture} for the committed subset. */
    public static final String FASHION_MNIST = "fashion_mnist";
    /**
     * Per round: personalisation of the critic. A designer starts each round from
     * {@code critic_mix · global + (1 − critic_mix) · own} for the shared weights; 1 (default) is
     * plain FedGAI, 0 ignores the federation.
     */
    public static final String CRITIC_MIX = "critic_mix";
    /**
     * Per round: personalisation by her amount of data (shrinkage toward the federation). A
     * designer with {@code n} training pairs starts each round from {@code m · global + (1 − m) · own}
     * with {@code m = κ / (κ + n)}, κ this value: one with few sketches leans on the shared critic,
     * one with many on her own. Each node computes its own {@code m}, so her pair count never travels.
     * 0 (default): off, {@link #CRITIC_MIX} applies; not together with a mix below 1.
     */
    public static final String CRITIC_SHRINKAGE = "critic_shrinkage";
    /**
     * Per round: the weight of a designer's critic in the coordinator's mean. False (default):
     * her number of training pairs (FedAvg); true: 1 for every designer, so a designer with few
     * sketches pulls the shared critic as much as one with many.
     */
    public static final String EQUAL_CRITIC_WEIGHTS = "critic_equal_weights";
    /**
     * Per round: comma-separated globs of critic tensors a designer keeps to herself (FedPer-style
     * personal layers, e.g. {@code disc.head.**}): neither loaded from the global critic nor sent
     * back. Empty (default): the whole shared critic is federated.
     */
    public static final String PERSONAL_CRITIC = "critic_personal";
    /**
     * Critic-only steps on the designer's own sketches after loading the round's global critic and
     * before her GAN steps (train config; default 0): her generator then meets a critic adapted to
     * her style, not the pooled one. Not with FedProx.
     */
    public static final String CRITIC_ADAPT_STEPS = "critic_adapt_steps";
    /**
     * GAN batch size of the node's local steps (default 16). Node-level, set by the operator
     * ({@code workload.gan_batch_size}); deliberately not {@link dev.atelier.core.strategy.TrainKeys#BATCH_SIZE}
     * ({@code batch_size}), which strategies send per round and the sketch workload does not read.
     */
    public static final String GAN_BATCH_SIZE = "gan_batch_size";
    /**
     * Node data folders only: invert the garment images read from {@code images/} (photos of dark
     * garments on white; the models expect Fashion-MNIST polarity, a light garment on black). Default false.
     */
    public static final String INVERT_IMAGES = "invert_images";
    /**
     * Node data folders only: train on every garment and every sketch, sampled independently,
     * instead of pairs matched by file name. Default false: pairs, with too few matches an error.
     */
    public static final String UNPAIRED = "unpaired";

    /**
     * Node-level: paired training also uses the garments of the data folder that have no sketch
     * ({@link dev.atelier.sketch.folder.FolderOptions#unsketched()}). Default false: they are left
     * out with a warning.
     */
    public static final String UNSKETCHED = "unsketched";

    /**
     * Side in px of the square canvas every designer's model reads and draws ({@code
     * workload_settings.canvas}): 32 (default, Fashion-MNIST) or 64, 128, 256 for folders of photos
     * and scans; a multiple of 8 in 32..512. Node-level and run-wide: every node and the coordinator
     * read it once ({@link #canvas}); each node's saved model records it.
     */
    public static final String CANVAS = "canvas";

    /** Default warm-up length. */
    public static final int DEFAULT_WARMUP_STEPS = 30;
    /** Default local steps per round (FedGAI's schedule). */
    public static final int DEFAULT_LOCAL_STEPS = 11;
    /** Default number of rounds (FedGAI's schedule). */
    public static final int DEFAULT_ROUNDS = 11;

    private SketchKeys() {}

    /**
     * The run's canvas side ({@link #CANVAS}, default {@value Canvas#SIDE}).
     *
     * @throws IllegalArgumentException naming the key when the value is not an allowed side
     */
    public static int canvas(Config config) {
        int side = config.getInt(CANVAS, Canvas.SIDE);
        try {
            return Canvas.checkSide(side);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config '" + CANVAS + "': " + e.getMessage(), e);
        }
    }
}
