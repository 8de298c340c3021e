package dev.atelier.bench.ganstep;

/**
 * What {@code ./atelier bench ganstep} was asked to do (validated by {@link GanStepBench}).
 *
 * @param threads   intra-op threads of both sides (one inter-op thread)
 * @param warmup    untimed steps after the check step
 * @param steps     timed steps
 * @param examples  designer pairs (at least one batch)
 * @param seed      model, data and batch-order seed
 * @param python    Python interpreter of the PyTorch side
 * @param noPython  time the Java side only
 * @param tolerance max abs difference allowed between the two sides' inference outputs
 * @param keep      keep the export directory
 */
record GanStepOptions(
        int threads,
        int warmup,
        int steps,
        int examples,
        long seed,
        String python,
        boolean noPython,
        double tolerance,
        boolean keep) {}
