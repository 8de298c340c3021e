package dev.atelier.zo.compare;

import ai.djl.ndarray.NDManager;
import dev.atelier.zo.firstorder.AdamTrainer;
import dev.atelier.zo.firstorder.DjlGpt2;
import dev.atelier.zo.memory.ProbeResult;
import dev.atelier.zo.memory.ProcStatus;
import dev.atelier.zo.model.CausalLm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The child-JVM side of the first-order client's memory measurement ({@link MemoryProbe}): loads
 * the DJL engine (one tiny op) and reads the idle RSS, loads the model, copies it into DJL, resets
 * the peak, runs {@code steps} backprop + Adam steps on random rows of {@code rows × seqLen}
 * tokens, and prints one {@link ProbeResult} JSON line. The peak includes the DJL copy of the
 * weights, gradients and Adam's two moments, as a first-order store would hold them.
 *
 * <pre>FirstOrderProbe MODEL_DIR rows seqLen steps</pre>
 */
public final class FirstOrderProbe {
    private FirstOrderProbe() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: FirstOrderProbe MODEL_DIR rows seqLen steps");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int rows = Integer.parseInt(args[1]);
        int seq = Integer.parseInt(args[2]);
        int steps = Integer.parseInt(args[3]);
        try (NDManager m = NDManager.newBaseManager()) {
            m.ones(new ai.djl.ndarray.types.Shape(2, 2)).sum().getFloat();
            settle();
            long baseline = ProcStatus.read().rss();
            CausalLm model = CausalLm.load(dir);
            long loadPeak = ProcStatus.read().peakRss();
            int vocab = model.config().dims().vocabSize();
            int len = Math.min(seq, model.config().dims().maxPositions());
            DjlGpt2 djl = DjlGpt2.of(model.config(), model.parameters(), m);
            settle();
            ProcStatus.resetPeak();
            SplittableRandom rnd = new SplittableRandom(1);
            List<AdamTrainer.Example> data = new ArrayList<>();
            for (int r = 0; r < Math.max(rows, 8); r++) {
                data.add(new AdamTrainer.Example(rnd.ints(len, 0, vocab).toArray(), 1));
            }
            long t0 = System.nanoTime();
            double loss = AdamTrainer.train(djl, m, data, new AdamTrainer.Settings(steps, rows, 1e-4f, 1e-5f, 1), null);
            double perStep = (System.nanoTime() - t0) / 1e9 / steps;
            long stepPeak = ProcStatus.read().peakRss();
            long bytes = 4 * model.parameterCount();
            System.out.println(new ProbeResult(baseline, loadPeak, stepPeak, bytes, bytes, perStep, loss).toJson());
        }
    }

    private static void settle() throws InterruptedException {
        System.gc();
        Thread.sleep(200);
        System.gc();
    }
}
