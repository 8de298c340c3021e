package dev.atelier.zo.firstorder;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.Family;
import dev.atelier.zo.model.LmTokenizer;
import dev.atelier.zo.model.RandomCheckpoint;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DJL GPT-2 computes what the pure-Java CausalLm computes, and the word tokenizer loads in the product. */
class DjlGpt2Test {
    @TempDir
    Path dir;

    @Test
    void logitsMatchThePureJavaForward() throws Exception {
        var spec = new RandomCheckpoint.Spec(97, 32, 2, 4, 4, 8, 64, 16);
        var shapes = RandomCheckpoint.shapes(Family.GPT2, spec, true);
        RandomCheckpoint.write(
                dir, RandomCheckpoint.config(Family.GPT2, spec, true), shapes, RandomCheckpoint.random(shapes, 7, 0.2));
        CausalLm lm = CausalLm.load(dir);
        int[][] rows = {{3, 14, 15, 92, 65, 35, 8, 9}, {2, 71, 82, 81, 82, 8, 45, 90}};
        try (NDManager m = NDManager.newBaseManager()) {
            DjlGpt2 djl = DjlGpt2.of(lm.config(), lm.parameters(), m);
            int[] flat = new int[16];
            System.arraycopy(rows[0], 0, flat, 0, 8);
            System.arraycopy(rows[1], 0, flat, 8, 8);
            float[] got = djl.logits(m.create(flat, new Shape(2, 8))).toFloatArray();
            double maxDiff = 0;
            for (int r = 0; r < 2; r++) {
                float[] want = lm.logits(rows[r]);
                for (int i = 0; i < want.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(want[i] - got[r * want.length + i]));
                }
            }
            assertThat(maxDiff).isLessThan(1e-4);
            // and the loss: mean shifted cross entropy over all positions equals LmLoss's
            NDArray ids = m.create(flat, new Shape(2, 8));
            float loss = djl.loss(ids, m.ones(new Shape(2, 8))).getFloat();
            double want = (dev.atelier.zo.model.LmLoss.of(lm, rows[0]).nll()
                            + dev.atelier.zo.model.LmLoss.of(lm, rows[1]).nll())
                    / 14;
            assertThat((double) loss).isCloseTo(want, org.assertj.core.data.Offset.offset(1e-4));
        }
    }

    @Test
    void labelLossIsTheCrossEntropyOverTheLabelTokensAlone() throws Exception {
        var spec = new RandomCheckpoint.Spec(97, 32, 2, 4, 4, 8, 64, 16);
        var shapes = RandomCheckpoint.shapes(Family.GPT2, spec, true);
        RandomCheckpoint.write(
                dir, RandomCheckpoint.config(Family.GPT2, spec, true), shapes, RandomCheckpoint.random(shapes, 9, 0.3));
        CausalLm lm = CausalLm.load(dir);
        int[] labels = {5, 40, 77};
        // the last token of each row is its label, the only trained target
        int[][] rows = {{3, 14, 15, 92, 65, 35, 40}, {2, 71, 82, 81, 82, 8, 77}};
        double want = 0;
        for (int[] row : rows) {
            float[] logits = lm.logits(row);
            int at = (row.length - 2) * 97;
            double max = Double.NEGATIVE_INFINITY;
            for (int t : labels) {
                max = Math.max(max, logits[at + t]);
            }
            double sum = 0;
            for (int t : labels) {
                sum += Math.exp(logits[at + t] - max);
            }
            want += max + Math.log(sum) - logits[at + row[row.length - 1]];
        }
        want /= rows.length;
        try (NDManager m = NDManager.newBaseManager()) {
            DjlGpt2 djl = DjlGpt2.of(lm.config(), lm.parameters(), m);
            int[] flat = new int[14];
            float[] w = new float[14];
            for (int r = 0; r < 2; r++) {
                System.arraycopy(rows[r], 0, flat, r * 7, 7);
                w[r * 7 + 6] = 1;
            }
            NDArray ids = m.create(flat, new Shape(2, 7));
            NDArray weights = m.create(w, new Shape(2, 7));
            double got = djl.labelLoss(ids, weights, labels).getFloat();
            assertThat(got).isCloseTo(want, org.assertj.core.data.Offset.offset(1e-5));
            // three labels: far below the full-vocabulary cross entropy of the same targets
            assertThat(got).isLessThan(djl.loss(ids, weights).getFloat() - 1);
        }
    }

    @Test
    void wordTokenizerLoadsThroughTheProductTokenizer() throws Exception {
        List<String> vocab = WordVocab.build(List.of("a short coat.", "a coat, a shirt"), List.of("boot"), 100);
        assertThat(vocab.subList(0, 4)).containsExactly("[PAD]", "[UNK]", "[BOS]", "boot");
        WordVocab.write(dir, vocab);
        try (LmTokenizer tok = LmTokenizer.find(dir).orElseThrow()) {
            int[] ids = tok.encode("A Short COAT, zebra");
            assertThat(ids)
                    .containsExactly(
                            2,
                            vocab.indexOf("a"),
                            vocab.indexOf("short"),
                            vocab.indexOf("coat"),
                            vocab.indexOf(","),
                            1);
        }
    }
}
