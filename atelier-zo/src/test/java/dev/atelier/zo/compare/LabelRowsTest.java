package dev.atelier.zo.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.zo.firstorder.WordVocab;
import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.Family;
import dev.atelier.zo.model.LmTokenizer;
import dev.atelier.zo.model.RandomCheckpoint;
import dev.atelier.zo.task.Prompt;
import dev.atelier.zo.task.TaskItem;
import dev.atelier.zo.task.TaskRows;
import dev.atelier.zo.task.TextTask;
import dev.atelier.zo.train.Trainable;
import dev.atelier.zo.train.TrainableScope;
import dev.atelier.zo.train.ZoUpdate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default ZO scope of the task ({@code head[labels]}): it resolves to the label words' rows of
 * the (tied) head, and the store's cached training loss (blocks run once per row) equals the
 * uncached loss bit for bit, before and after those rows move, including rows whose prompt holds a
 * label word (whose tied embedding moves, so they are never cached).
 */
class LabelRowsTest {
    @TempDir
    Path tmp;

    private static final List<String> LABELS = List.of("coat", "shoe", "hat");

    private static final List<TaskItem> ITEMS = List.of(
            new TaskItem("a long warm garment worn outdoors", 0, "test", "g0"),
            new TaskItem("footwear with a sole and a heel", 1, "test", "g1"),
            new TaskItem("headdress worn over a coat hood", 2, "test", "g2"), // holds a label word
            new TaskItem("a light shoe for running", 1, "test", "g3"), // holds a label word
            new TaskItem("a brimmed covering for the head", 2, "test", "g4"));

    @Test
    void resolvesToLabelRowsAndCachedLossEqualsTheLoss() throws Exception {
        List<String> corpus = new ArrayList<>();
        for (TaskItem it : ITEMS) {
            corpus.add(Prompt.prompt(it.text()));
        }
        Path dir = tmp.resolve("m");
        WordVocab.write(dir, WordVocab.build(corpus, LABELS, 64));
        var spec = new RandomCheckpoint.Spec(64, 16, 2, 2, 2, 8, 32, 32);
        var shapes = RandomCheckpoint.shapes(Family.GPT2, spec, true);
        RandomCheckpoint.write(
                dir, RandomCheckpoint.config(Family.GPT2, spec, true), shapes, RandomCheckpoint.random(shapes, 5, 0.3));
        CausalLm model = CausalLm.load(dir);
        try (LmTokenizer tok = LmTokenizer.find(dir).orElseThrow()) {
            int[][] completions = TaskRows.completions(tok, LABELS);
            String resolved = Comparison.resolveTrainable("head[labels], *ln_f.*", model, completions);
            int[] ids = {completions[0][0], completions[1][0], completions[2][0]};
            java.util.Arrays.sort(ids);
            assertThat(resolved)
                    .isEqualTo(model.headWeightName() + "[" + ids[0] + "," + ids[1] + "," + ids[2] + "],*ln_f.*");
            assertThat(Comparison.resolveTrainable("*ln_f.*", model, completions))
                    .isEqualTo("*ln_f.*");

            TaskStoreData store = new TaskStoreData(ITEMS, tok, LABELS, 32);
            Trainable rows = TrainableScope.parse(Comparison.resolveTrainable("head[labels]", model, completions))
                    .restrict(Trainable.all(model));
            assertThat(rows.size()).isEqualTo(3L * 16);
            int[][] batch = store.trainRows().toArray(int[][]::new);
            var cached = store.lossWhileTraining(model, rows);
            double before = store.loss(model, batch);
            assertThat(cached.applyAsDouble(batch)).isEqualTo(before);
            ZoUpdate.perturb(rows, 99, 0.5); // the label rows (and the tied embeddings of those words) move
            double after = store.loss(model, batch);
            assertThat(after).isNotEqualTo(before);
            assertThat(cached.applyAsDouble(batch)).isEqualTo(after);

            // any other scope: the plain loss
            Trainable norm = TrainableScope.parse("*ln_f.*").restrict(Trainable.all(model));
            var plain = store.lossWhileTraining(model, norm);
            ZoUpdate.perturb(norm, 7, 0.5);
            assertThat(plain.applyAsDouble(batch)).isEqualTo(store.loss(model, batch));
        }
    }

    @Test
    void validationSplitIsCarvedFromTrainingGroupsOnly() {
        List<TaskItem> train = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            train.add(new TaskItem("text " + i, i % 3, "test", "group-" + (i / 2)));
        }
        TextTask t = new TextTask("t", LABELS, train, List.of(new TaskItem("held", 0, "test", "other")));
        TextTask v = t.validation();
        assertThat(v.train().size() + v.test().size()).isEqualTo(60);
        assertThat(v.test()).isNotEmpty().doesNotContainAnyElementsOf(v.train());
        assertThat(v.test()).noneMatch(it -> it.text().equals("held"));
        var valGroups = v.test().stream().map(TaskItem::group).collect(java.util.stream.Collectors.toSet());
        assertThat(v.train()).noneMatch(it -> valGroups.contains(it.group()));
        assertThat(t.validation()).isEqualTo(v); // a pure function of the groups
    }
}
