package dev.atelier.zo.firstorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.Family;
import dev.atelier.zo.model.LmTokenizer;
import dev.atelier.zo.model.RandomCheckpoint;
import dev.atelier.zo.task.LabelScorer;
import dev.atelier.zo.task.TaskItem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backprop + Adam on the CausalLm's own parameters: written back in place, and it learns the items. */
class FirstOrderClientTest {
    @TempDir
    Path dir;

    @Test
    void fineTuningLearnsTheTrainingItemsAndWritesTheWeightsBack() throws Exception {
        List<String> labels = List.of("coat", "bag");
        List<TaskItem> items = new ArrayList<>();
        String[] warm = {"warm", "wool", "long", "winter", "heavy"};
        String[] carry = {"leather", "strap", "carry", "money", "small"};
        for (int i = 0; i < 20; i++) {
            items.add(new TaskItem("a " + warm[i % 5] + " garment " + warm[(i + 2) % 5], 0, "t", "c" + i));
            items.add(new TaskItem("a " + carry[i % 5] + " case " + carry[(i + 3) % 5], 1, "t", "b" + i));
        }
        List<String> corpus = items.stream().map(TaskItem::text).toList();
        WordVocab.write(dir, WordVocab.build(corpus, List.of("coat", "bag", "-", ">"), 64));
        var spec = new RandomCheckpoint.Spec(64, 32, 1, 2, 2, 16, 64, 32);
        var shapes = RandomCheckpoint.shapes(Family.GPT2, spec, true);
        RandomCheckpoint.write(
                dir,
                RandomCheckpoint.config(Family.GPT2, spec, true),
                shapes,
                RandomCheckpoint.random(shapes, 3, 0.02));
        CausalLm lm = CausalLm.load(dir);
        // a block tensor: the label-restricted loss gives rows of tokens that never occur (e.g.
        // [PAD]'s embedding) no gradient, so they rightly stay put
        float[] before = lm.blockParameters(0).get(0).values().clone();
        try (LmTokenizer tok = LmTokenizer.find(dir).orElseThrow()) {
            LabelScorer scorer = new LabelScorer(lm, tok, labels);
            double loss =
                    FirstOrderClient.train(lm, tok, labels, items, new FirstOrderClient.Settings(200, 8, 1e-2f, 5));
            assertThat(lm.blockParameters(0).get(0).values()).isNotEqualTo(before);
            assertThat(loss)
                    .isLessThan(
                            0.4); // undecided between the two label words is ln 2 ≈ 0.69 once the label words dominate
            assertThat(scorer.accuracy(items).value()).isEqualTo(1.0);
        }
    }
}
