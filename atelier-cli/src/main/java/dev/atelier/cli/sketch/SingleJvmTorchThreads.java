package dev.atelier.cli.sketch;

/**
 * PyTorch threads of the sketch commands that train in one JVM ({@code atelier demo}, {@code
 * atelier audit}): one intra-op and one inter-op thread unless {@code -Dai.djl.pytorch.num_threads}
 * (or {@code ..num_interop_threads}) says otherwise. Measured on 2 idle cores, same seed and cache
 * (docs/demo.md, "Torch threads"): the default demo took 299 s with one thread and 518 s with
 * PyTorch's default of two; the 32-px GAN's operations are too small to split, and handing them to a
 * second thread cost 117 s of system time (3.4 million context switches) instead of 5 s. A
 * deployed node picks its own count ({@code atelier node --torch-threads}). Must run before the
 * engine loads; stateless.
 */
public final class SingleJvmTorchThreads {
    private SingleJvmTorchThreads() {}

    /** Sets both thread counts to 1 where the user has not set them. */
    public static void applyDefault() {
        dev.atelier.ml.engine.PyTorchThreads.defaultTo(1);
    }
}
