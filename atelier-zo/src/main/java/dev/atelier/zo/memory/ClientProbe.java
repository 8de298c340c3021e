package dev.atelier.zo.memory;

import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.FrozenPrefix;
import dev.atelier.zo.model.HfConfigReader;
import dev.atelier.zo.model.LmConfig;
import dev.atelier.zo.train.Trainable;
import dev.atelier.zo.train.ZoSettings;
import dev.atelier.zo.train.ZoTrainer;
import java.io.IOException;
import java.util.SplittableRandom;

/**
 * The child-JVM side of the memory protocol ({@link ChildJvm} starts it): starts the engine, makes
 * eden resident and reads the idle baseline (VmRSS minus eden's committed bytes), resets the peak
 * there, warms the engine ({@link EngineWarmup}: JIT, counted in the client's peak), loads the model as the job's {@link
 * ClientMode} says, forces a GC (which also unmaps the checkpoint file), resets the peak again,
 * runs the steps, and prints one {@link ProbeResult} JSON line on stdout. Exits 2 with one line on
 * stderr when the job is refused.
 */
public final class ClientProbe {
    private ClientProbe() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ClientProbe '<client job JSON>'");
            System.exit(2);
        }
        ProbeResult r;
        try {
            r = run(ClientJob.fromJson(args[0]));
        } catch (IllegalArgumentException e) {
            System.err.println("client job refused: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println(r.toJson());
    }

    /** Runs {@code job} in this JVM (meaningful as a measurement only in a fresh JVM). */
    static ProbeResult run(ClientJob job) throws IOException {
        // The engine: config reader, kernels and their thread pool, the ZO classes, warmed on nothing.
        LmConfig config = HfConfigReader.read(job.modelDir().resolve("config.json"));
        int layers = config.dims().numLayers();
        if (job.activeBlocks().last() >= layers) {
            throw new IllegalArgumentException(
                    "block " + job.activeBlocks().last() + " is outside the model's " + layers + " blocks");
        }
        CausalLm.threads();
        // The idle node without its young generation: how much of eden the JVM's start-up touched
        // depends on the class path (idle VmRSS 11.8 MB higher with the CLI's jars), so eden is made
        // resident and subtracted. Everything from here on is the client's, the young generation it
        // fills included.
        EngineWarmup.touchEden(2 * MemoryModel.PROTOCOL.youngBytes());
        settle();
        long baseline = ProcStatus.read().rss() - JvmPools.edenCommitted();
        ProcStatus.resetPeak();
        EngineWarmup.run(config, job.rows());
        settle();
        long warmed = ProcStatus.read().rss();
        JvmPools before = JvmPools.read();

        int k = job.lowestActive();
        CausalLm model = switch (job.mode()) {
            case FULL, CACHED_PREFIX -> CausalLm.load(job.modelDir());
            case STREAMED_PREFIX -> CausalLm.load(job.modelDir(), k);
            case ACTIVE_ONLY -> CausalLm.loadHeld(job.modelDir(), job.activeBlocks());
        };
        long loadPeak = ProcStatus.read().peakRss();
        long resident = 4 * model.parameterCount();
        settle();
        ProcStatus.resetPeak();

        ZoTrainer trainer =
                new ZoTrainer(model, Trainable.blocks(model, job.activeBlocks()), new ZoSettings(1e-3, 1e-6));
        FrozenPrefix prefix = new FrozenPrefix(model);
        SplittableRandom rnd = new SplittableRandom(job.seed());
        int vocab = config.dims().vocabSize();
        double lastLoss = Double.NaN;
        long t0 = System.nanoTime();
        for (int s = 0; s < job.steps(); s++) {
            int[][] batch = new int[job.rows()][];
            for (int r = 0; r < batch.length; r++) {
                batch[r] = rnd.ints(job.seqLen(), 0, vocab).toArray();
            }
            ZoTrainer.Step step = job.mode() == ClientMode.FULL
                    ? trainer.step(rnd.nextLong(), batch)
                    : trainer.step(rnd.nextLong(), batch, prefix.compute(batch, k), k);
            lastLoss = (step.lossPlus() + step.lossMinus()) / 2;
        }
        double perStep = (System.nanoTime() - t0) / 1e9 / job.steps();
        long stepPeak = ProcStatus.read().peakRss();
        return new ProbeResult(
                baseline,
                loadPeak,
                stepPeak,
                resident,
                4 * config.parameterCount(),
                perStep,
                lastLoss,
                warmed,
                JvmPools.read().runtimeGrowth(before));
    }

    /** A full GC and a pause for the cleaner thread to unmap collected file mappings. */
    private static void settle() {
        System.gc();
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.gc();
    }
}
