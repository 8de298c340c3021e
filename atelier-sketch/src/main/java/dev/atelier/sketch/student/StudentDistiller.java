package dev.atelier.sketch.student;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.atelier.ml.nn.BlockParams;
import dev.atelier.ml.nn.Images;
import dev.atelier.ml.nn.ParamOptimizer;
import dev.atelier.ml.nn.layers.Scalars;
import dev.atelier.sketch.model.DecoderOutputs;
import dev.atelier.sketch.model.GramMatrix;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.train.SketchLosses;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Distils a designer's (federated) teacher into a {@link SketchStudent}. Garments only: the teacher
 * labels every garment with its own sketch, so no reference sketches are needed.
 *
 * <p>One step (batch {@code x} of garments, {@code a = teacher.stylise(teacher.encode(x))}, shared
 * by both decoders, or for a student with its own encoder {@code a' = teacher.stylise(student.encode(x))}
 * as the student decoder's input, that encoder frozen here, see {@link EncoderDistiller}; teacher in
 * inference mode, outside the gradient collector):
 * <pre>
 *   (t_K..t_1, T) = teacher decoder(a)                 per-scale outputs and sketch, constants
 *   (s_K..s_1, S) = student decoder(a)                 BatchNorm in training mode
 *   L_feature = (1/K) Σ_s mean((P_s(s_s) − t_s)²)      P_s a 1×1 projection ({@link FeatureProjection})
 *   L_l1      = mean|S − T|,   L_mse = mean((S − T)²)
 *   L_adv     = −mean D_teacher(Gram(E(S)))            the teacher's critic, frozen, BatchNorm in inference mode
 *   L_gram    = Σ_s mean((G_s(E(S)) − G_s(E(T)))²)     the teacher's style statistics, {@link SketchLosses#gram}
 *   L = w_feature·L_feature + w_l1·L_l1 + w_mse·L_mse + w_adv·L_adv + w_gram·L_gram
 * </pre>
 * Adam (constant or cosine-decayed learning rate, {@link DistillSettings}) updates the student
 * decoder and the projections. The teacher's critic is frozen: its
 * weights are never updated, the gradients the backward pass leaves on them are cleared after every
 * step, and running it in inference mode leaves its BatchNorm statistics and spectral-norm vectors
 * untouched; so the teacher is bit-for-bit the same after distilling. A frozen critic keeps the
 * federated style judgement fixed and needs no real sketches (fine-tuning it would need the
 * designer's sketches and a second optimizer, and could drift from the federation's critic).
 *
 * <p>Everything the frozen teacher contributes to a step (the decoder input {@code a}, the targets
 * {@code t_s} and {@code T}, and {@code G_s(E(T))}) depends on the garment only, so by default it is
 * computed once per garment before the first step ({@link TeacherTargets}, when it fits its memory
 * bound): a step then runs only the student and the encoder pass of its sketch.
 * {@link Builder#optCacheTargets}{@code (false)} recomputes them every step (same values). An own
 * encoder must therefore be distilled before the first {@link #distill} call.
 *
 * <p>Data: the designer's own training garments, optionally plus unlabeled public garments (both
 * are fed to the teacher, never the held-out test garments: keeping them out is the caller's duty).
 * Batches are drawn uniformly from the union with a seeded {@link SplittableRandom}; each step
 * runs in its own sub-manager of the student's manager and opens the JVM's one gradient collector
 * once. Borrows the student and its teacher; owns the projections ({@link #close()}); Adam's moment
 * estimates for the student's weights live beside those weights, in the student's manager, until
 * the student is closed. Not thread-safe.
 */
public final class StudentDistiller implements AutoCloseable {
    private static final String PROJ = "proj";
    private final SketchStudent student;
    private final SketchGan teacher;
    private final List<float[]> garments;
    private final DistillSettings settings;
    private final NDManager manager;
    private final FeatureProjection projection;
    private final ParameterStore projStore;
    private final ParamOptimizer optimizer;
    private final List<Parameter> critic;
    private final SplittableRandom rng;
    private final boolean cacheTargets;
    private TeacherTargets targets;
    private long steps;

    private StudentDistiller(Builder b) {
        this.student = Objects.requireNonNull(b.student, "student");
        this.teacher = student.teacher();
        if (teacher.styleCard() == null) {
            throw new IllegalStateException("the teacher has no style card: distil after training it (or set one)");
        }
        if (b.garments == null || b.garments.isEmpty()) {
            throw new IllegalArgumentException("distillation needs at least one training garment");
        }
        List<float[]> all = new ArrayList<>(b.garments);
        all.addAll(b.extraGarments);
        int canvas = teacher.config().canvas();
        for (int i = 0; i < all.size(); i++) {
            int n = all.get(i).length;
            if (n != canvas * canvas && !(canvas == 32 && n == 28 * 28)) {
                throw new IllegalArgumentException("garment " + i + " has " + n + " pixels, expected "
                        + (canvas == 32 ? "784 (28x28) or 1024 (32x32)" : canvas * canvas + " (the model's canvas)"));
            }
        }
        this.garments = List.copyOf(all);
        this.settings = b.settings == null ? DistillSettings.defaults(0) : b.settings;
        this.critic = List.copyOf(teacher.discriminatorParameters().values());
        this.rng = new SplittableRandom(settings.seed());
        this.cacheTargets = b.cacheTargets
                && TeacherTargets.fits(
                        student, garments.size(), settings.weights().gram() > 0);
        this.manager = NDManager.newBaseManager();
        try {
            int[] sw = student.decoderWidths();
            int skip = student.skippedScales();
            int[] allSizes = teacher.encoder().sizes(teacher.config().canvas());
            int[] sizes = Arrays.copyOfRange(allSizes, skip, allSizes.length);
            int[] tw = teacher.generator().widths();
            Engine.getInstance().setRandomSeed((int) settings.seed());
            projection = new FeatureProjection(sw, Arrays.copyOfRange(tw, skip, tw.length));
            Shape[] shapes = new Shape[sw.length];
            for (int s = 0; s < sw.length; s++) {
                shapes[s] = new Shape(1, sw[s], sizes[s], sizes[s]);
            }
            projection.initialize(manager, DataType.FLOAT32, shapes);
            projStore = new ParameterStore(manager, false);
            Map<String, Parameter> trained = new LinkedHashMap<>(student.parameters());
            trained.putAll(BlockParams.parameters(projection, PROJ));
            optimizer = new ParamOptimizer(
                    trained,
                    Optimizer.adam()
                            .optLearningRateTracker(tracker(settings))
                            .optBeta1(settings.beta1())
                            .optBeta2(settings.beta2())
                            .build());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The learning rate per update: constant, or the shared cosine ({@link ParamOptimizer#cosine}). */
    static Tracker tracker(DistillSettings s) {
        if (s.decaySteps() == 0) {
            return Tracker.fixed(s.lr());
        }
        return ParamOptimizer.cosine(s.lr(), s.finalLr(), s.decaySteps());
    }

    public static Builder builder() {
        return new Builder();
    }

    public SketchStudent student() {
        return student;
    }

    public DistillSettings settings() {
        return settings;
    }

    /** Garments distillation samples from (own training garments first, then the extra ones). */
    public int garmentCount() {
        return garments.size();
    }

    /** Whether the teacher's targets are cached per garment ({@link Builder#optCacheTargets}). */
    public boolean cachesTargets() {
        return cacheTargets;
    }

    /** Steps taken so far. */
    public long steps() {
        return steps;
    }

    /**
     * Runs {@code count} distillation steps.
     *
     * @param progress called after every step with its metrics, may be null
     * @return the mean metrics over these steps
     */
    public DistillMetrics distill(int count, Consumer<DistillMetrics> progress) {
        if (count < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + count);
        }
        List<DistillMetrics> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            DistillMetrics m = step();
            all.add(m);
            if (progress != null) {
                progress.accept(m);
            }
        }
        return DistillMetrics.mean(all);
    }

    private DistillMetrics step() {
        DistillWeights w = settings.weights();
        int[] idx = new int[settings.batchSize()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = rng.nextInt(garments.size());
        }
        if (cacheTargets && targets == null) {
            targets = TeacherTargets.build(student, garments, w.gram() > 0);
        }
        try (NDManager sm = student.manager().newSubManager()) {
            NDList studentIn;
            DecoderOutputs target;
            List<NDArray> teacherGram;
            if (targets != null) {
                TeacherTargets.Batch b = targets.batch(sm, idx);
                studentIn = b.studentInput();
                target = b.target();
                teacherGram = b.teacherGram();
            } else {
                NDArray x = Images.batch(sm, garments, idx);
                NDList stylised = teacher.stylise(teacher.encode(x));
                target = teacher.generator().decode(teacher.store(), stylised, false);
                // a student with its own (already distilled, frozen here) encoder learns on its own maps
                studentIn = student.hasOwnEncoder()
                        ? student.stylise(student.encode(x))
                        : student.fromTeacherScales(stylised);
                teacherGram = w.gram() > 0 ? GramMatrix.ofAll(teacher.encode(target.sketch())) : null;
            }
            optimizer.zeroGradients();
            double feature;
            double l1;
            double mse;
            double adv = 0;
            double total;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                DecoderOutputs out = student.decode(studentIn, true);
                NDArray featureLoss = featureLoss(out, target);
                NDArray diff = out.sketch().sub(target.sketch());
                NDArray l1Loss = diff.abs().mean();
                NDArray mseLoss = diff.square().mean();
                NDArray loss = Scalars.mul(featureLoss, w.feature())
                        .add(Scalars.mul(l1Loss, w.l1()))
                        .add(Scalars.mul(mseLoss, w.mse()));
                NDList es = w.adversarial() > 0 || w.gram() > 0 ? teacher.encode(out.sketch()) : null;
                if (w.gram() > 0) {
                    NDArray gramLoss = SketchLosses.gram(GramMatrix.ofAll(es), teacherGram);
                    loss = loss.add(Scalars.mul(gramLoss, w.gram()));
                }
                if (w.adversarial() > 0) {
                    NDArray score =
                            teacher.criticize(teacher.criticInput(es), false).get(0);
                    NDArray advLoss = SketchLosses.generatorHinge(score);
                    adv = advLoss.getFloat();
                    loss = loss.add(Scalars.mul(advLoss, w.adversarial()));
                }
                feature = featureLoss.getFloat();
                l1 = l1Loss.getFloat() / 2;
                mse = mseLoss.getFloat();
                total = loss.getFloat();
                gc.backward(loss);
            }
            optimizer.step();
            clearCriticGradients();
            steps++;
            return new DistillMetrics(steps, feature, l1, mse, adv, total);
        }
    }

    /** Student scales are the teacher's coarsest ones (a sub-pixel student lacks the finest): both lists coarsest first. */
    private NDArray featureLoss(DecoderOutputs student, DecoderOutputs teacherOut) {
        int k = student.scales();
        NDArray total = null;
        for (int i = 0; i < k; i++) {
            int scale = k - 1 - i; // features are coarsest first, scales finest first
            NDArray p = projection.project(projStore, scale, student.features().get(i), true);
            NDArray term = p.sub(teacherOut.features().get(i)).square().mean();
            total = total == null ? term : total.add(term);
        }
        return Scalars.div(total, k);
    }

    private void clearCriticGradients() {
        for (Parameter p : critic) {
            NDArray a = p.getArray();
            if (a.hasGradient()) {
                try (NDArray g = a.getGradient()) {
                    g.subi(g);
                }
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Builds a {@link StudentDistiller}; student and garments are required. */
    public static final class Builder {
        private SketchStudent student;
        private List<float[]> garments;
        private List<float[]> extraGarments = List.of();
        private DistillSettings settings;
        private boolean cacheTargets = true;

        private Builder() {}

        /**
         * Whether the teacher's targets are computed once per garment ({@link TeacherTargets}, the
         * default, when they fit its memory bound) or at every step (the same values, slower).
         */
        public Builder optCacheTargets(boolean v) {
            this.cacheTargets = v;
            return this;
        }

        /** The student to train (borrowed); its teacher must have a style card. */
        public Builder setStudent(SketchStudent student) {
            this.student = student;
            return this;
        }

        /** The designer's own training garments (28×28 or 32×32 in [0,1]). */
        public Builder setGarments(List<float[]> garments) {
            this.garments = garments;
            return this;
        }

        /** Optional unlabeled public garments, sampled together with the designer's (default none). */
        public Builder optExtraGarments(List<float[]> extra) {
            this.extraGarments = List.copyOf(extra);
            return this;
        }

        public Builder optSettings(DistillSettings settings) {
            this.settings = settings;
            return this;
        }

        public StudentDistiller build() {
            return new StudentDistiller(this);
        }
    }
}
