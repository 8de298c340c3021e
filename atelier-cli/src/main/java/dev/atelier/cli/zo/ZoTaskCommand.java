package dev.atelier.cli.zo;

import dev.atelier.zo.firstorder.FirstOrderClient;
import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.LmTokenizer;
import dev.atelier.zo.task.JsonlTask;
import dev.atelier.zo.task.LabelScorer;
import dev.atelier.zo.task.StoreSplit;
import dev.atelier.zo.task.TaskItem;
import dev.atelier.zo.task.TextTask;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code atelier zo task}: the fine-tuning task's items per label and split, its store split, and
 * a model's zero-shot accuracy (95% Wilson interval); optionally a quick first-order fine-tune.
 */
@Command(
        name = "task",
        mixinStandardHelpOptions = true,
        description = {
            "Summarise the ZO fine-tuning task (built-in garment definitions, or --jsonl): items per label and split,"
                    + " items per store, and the model's zero-shot test accuracy with a 95%% Wilson interval."
        })
public final class ZoTaskCommand implements Callable<Integer> {
    @Option(
            names = "--model",
            paramLabel = "DIR",
            description = "HF model folder with tokenizer.json (default: the base LM, pretrained if missing).")
    Path model;

    @Option(
            names = "--jsonl",
            paramLabel = "FILE",
            description =
                    "A task of {\"text\",\"label\"} or {\"prompt\",\"completion\"} lines instead of the built-in one.")
    Path jsonl;

    @Mixin
    ZoDataOptions data;

    @Option(
            names = "--stores",
            paramLabel = "N",
            description = "Stores to split the training items over (default: ${DEFAULT-VALUE}).")
    int stores = 8;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the store split (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(
            names = "--fo-steps",
            paramLabel = "N",
            description =
                    "Also fine-tune first-order (Adam) on all training items for N steps and report test accuracy (default: 0, off).")
    int foSteps;

    @Override
    public Integer call() throws Exception {
        TextTask task;
        if (jsonl != null) {
            task = JsonlTask.read(jsonl);
        } else {
            var loaded = data.loaded();
            task = loaded.task();
            var d = loaded.items().dropped();
            System.out.printf(
                    Locale.ROOT,
                    "dropped as ambiguous: %d (WordNet synsets under two types' roots %d, definitions whose genus"
                            + " names two types %d, GCIDE senses whose headword's WordNet types disagree %d)%n",
                    d.total(),
                    d.wordnetTwoRoots(),
                    d.twoGenera(),
                    d.headwordConflict());
        }
        int[] train = task.counts(task.train());
        int[] test = task.counts(task.test());
        System.out.printf(
                Locale.ROOT,
                "task %s: %d train, %d test items%n",
                task.name(),
                task.train().size(),
                task.test().size());
        System.out.printf(Locale.ROOT, "%-12s %6s %6s%n", "label", "train", "test");
        for (int l = 0; l < train.length; l++) {
            System.out.printf(Locale.ROOT, "%-12s %6d %6d%n", task.labelWords().get(l), train[l], test[l]);
        }
        List<List<TaskItem>> split = StoreSplit.split(task.train(), train.length, stores, data.alpha, seed);
        for (int s = 0; s < split.size(); s++) {
            int[] c = task.counts(split.get(s));
            System.out.printf(
                    Locale.ROOT,
                    "store %d: %d items, per label %s%n",
                    s,
                    split.get(s).size(),
                    java.util.Arrays.toString(c));
        }
        Path dir = data.modelOrBase(model);
        CausalLm lm = CausalLm.load(dir);
        try (LmTokenizer tok = LmTokenizer.find(dir)
                .orElseThrow(() -> new IllegalArgumentException(dir + ": no tokenizer.json (the task scores text)"))) {
            LabelScorer scorer = new LabelScorer(lm, tok, task.labelWords());
            System.out.printf(
                    Locale.ROOT,
                    "zero-shot test accuracy %s (calibrated by content-free prompts; chance %.3f)%n",
                    scorer.accuracy(task.test()),
                    1.0 / task.labelWords().size());
            if (foSteps > 0) {
                long t0 = System.nanoTime();
                double loss = FirstOrderClient.train(
                        lm,
                        tok,
                        task.labelWords(),
                        task.train(),
                        new FirstOrderClient.Settings(foSteps, 16, 1e-3f, seed));
                System.out.printf(
                        Locale.ROOT,
                        "first-order fine-tune (%d Adam steps, batch 16, lr 1e-3, %.0f s, loss %.3f):"
                                + " test accuracy %s%n",
                        foSteps,
                        (System.nanoTime() - t0) / 1e9,
                        loss,
                        scorer.accuracy(task.test()));
            }
        }
        return 0;
    }
}
