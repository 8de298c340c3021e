package dev.atelier.sketch.train;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.EnumMap;
import java.util.Map;

/**
 * CPU time of each part of a {@link SketchTrainer}'s steps, accumulated over the steps it watched
 * ({@link SketchTrainer.Builder#optProfile}). Measured as the calling thread's CPU time between
 * marks, so with one PyTorch intra-op thread (PyTorch runs CPU kernels and CPU autograd on the
 * calling thread) it is all of the step's compute, and it is not inflated by other processes
 * waiting for the cores the way wall time is; with more intra-op threads the workers' time is
 * missing. Not thread-safe: one trainer, one thread.
 */
public final class StepProfile {
    /** The parts of a step, in the order the trainer runs them. */
    public enum Part {
        /** Gathering the batch's cached encoder constants (or encoding the real batch without cache). */
        BATCH,
        /** Generator forward, with gradient. */
        GENERATOR,
        /** Encoding the generated sketches (with gradient) and their Gram matrices. */
        ENCODE_FAKE,
        /** Critic forward over [real; fake], hinge loss, FedDecorr, proximal term. */
        CRITIC_LOSS,
        /** Critic backward. */
        CRITIC_BACKWARD,
        /** Critic Adam update. */
        CRITIC_UPDATE,
        /** Gram, semantic, content and L1 terms of the generator loss. */
        GENERATOR_LOSSES,
        /** Critic forward on the fakes and the adversarial term. */
        GENERATOR_ADVERSARIAL,
        /** Generator backward: through the critic, the Gram matrices, the encoder and the generator. */
        GENERATOR_BACKWARD,
        /** Generator Adam update. */
        GENERATOR_UPDATE,
        /** Everything else: the step's sub-manager, closing its arrays, metrics. */
        OTHER
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final EnumMap<Part, Long> nanos = new EnumMap<>(Part.class);
    private long warmupSteps;
    private long ganSteps;
    private long last;

    public StepProfile() {
        if (!THREADS.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure thread CPU time");
        }
        for (Part p : Part.values()) {
            nanos.put(p, 0L);
        }
    }

    void begin() {
        last = THREADS.getCurrentThreadCpuTime();
    }

    /** Charges the CPU time since the previous mark (or {@link #begin}) to {@code part}. */
    void mark(Part part) {
        long now = THREADS.getCurrentThreadCpuTime();
        nanos.merge(part, now - last, Long::sum);
        last = now;
    }

    void end(boolean adversarial) {
        mark(Part.OTHER);
        if (adversarial) {
            ganSteps++;
        } else {
            warmupSteps++;
        }
    }

    /** GAN steps (critic and generator update) watched. */
    public long ganSteps() {
        return ganSteps;
    }

    /** Generator-only warm-up steps watched. */
    public long warmupSteps() {
        return warmupSteps;
    }

    /** CPU milliseconds per part, summed over every watched step. */
    public Map<Part, Double> totalMillis() {
        Map<Part, Double> out = new EnumMap<>(Part.class);
        nanos.forEach((p, n) -> out.put(p, n / 1e6));
        return out;
    }

    /** CPU milliseconds of all parts, summed over every watched step. */
    public double totalMillisAllParts() {
        return nanos.values().stream().mapToLong(Long::longValue).sum() / 1e6;
    }

    /** Forgets everything measured so far (e.g. after untimed warm-up steps). */
    public void reset() {
        nanos.replaceAll((p, n) -> 0L);
        warmupSteps = 0;
        ganSteps = 0;
    }
}
