package dev.atelier.zo.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The Java forward reproduces transformers' float32 logits, loss and greedy continuation. */
class ReferenceForwardTest {
    static final java.util.List<String> NAMES = LmRefs.NAMES;

    @ParameterizedTest
    @FieldSource("NAMES")
    void logitsLossAndGreedyMatchTransformers(String name) throws Exception {
        CausalLm lm = CausalLm.load(LmRefs.dir(name));
        LmRefs.Expected ref = LmRefs.expected(name);
        int vocab = lm.config().dims().vocabSize();
        double maxErr = 0;
        LmLoss.Sum loss = new LmLoss.Sum(0, 0);
        for (int r = 0; r < ref.inputIds().length; r++) {
            int[] ids = ref.inputIds()[r];
            float[] logits = lm.logits(ids);
            assertThat(logits).hasSize(ids.length * vocab);
            int base = r * ids.length * vocab;
            for (int i = 0; i < logits.length; i++) {
                maxErr = Math.max(maxErr, Math.abs(logits[i] - ref.logits()[base + i]));
            }
            loss = loss.plus(LmLoss.shifted(logits, ids, vocab));
        }
        System.out.printf(
                "%s: max |logit error| %.3g, |loss error| %.3g%n", name, maxErr, Math.abs(loss.mean() - ref.loss()));
        assertThat(maxErr).isLessThan(1e-4);
        assertThat(loss.mean()).isCloseTo(ref.loss(), org.assertj.core.data.Offset.offset(1e-5));
        assertThat(Greedy.generate(lm, ref.greedyPrompt(), 8, Set.of())).containsExactly(ref.greedyOutput());
    }
}
