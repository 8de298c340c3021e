package dev.atelier.zo.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.zo.firstorder.FirstOrderClient;
import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.LmTokenizer;
import dev.atelier.zo.model.Param;
import dev.atelier.zo.task.TaskItem;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The first-order baseline: FedAvg of full fine-tuning. Per round every store starts from the
 * global weights, runs {@link FirstOrderClient} (backprop + Adam, fresh Adam state per round) on its
 * items, and the global model becomes the item-weighted mean of the stores' weights. Runs in this
 * JVM without a transport: what a store would upload is its full F32 weights, so the upload per
 * store per round is {@code 4 × parameters} bytes, computed (not wire-measured). Writes one JSON
 * line per round to {@code fo-metrics.jsonl}. Not thread-safe.
 */
public final class FirstOrderFedAvg {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Rounds, and each store's local Adam steps, batch and learning rate. */
    public record Settings(int rounds, int steps, int batchSize, float lr, long seed) {
        public Settings {
            if (rounds < 1 || steps < 1 || batchSize < 1 || !(lr > 0)) {
                throw new IllegalArgumentException(
                        "first-order FedAvg needs rounds, steps, batch ≥ 1 and lr > 0: " + this);
            }
        }
    }

    /** The final global model's score and the computed upload per store per round. */
    public record Outcome(TaskEval.Score score, long uploadBytesPerStore) {}

    private FirstOrderFedAvg() {}

    /**
     * @param global  the initial global model, trained in place into the final one
     * @param local   a second replica of the same model, the stores' working copy
     * @param metrics the JSONL file of per-round metrics
     * @param log     one line per round (null: silent)
     */
    public static Outcome run(
            CausalLm global,
            CausalLm local,
            LmTokenizer tokenizer,
            List<String> labelWords,
            List<List<TaskItem>> stores,
            TaskEval eval,
            Settings s,
            Path metrics,
            PrintStream log)
            throws IOException {
        List<Param> g = global.parameters();
        List<Param> l = local.parameters();
        long up = 4 * global.parameterCount();
        long total = stores.stream().mapToLong(List::size).sum();
        TaskEval.Score score = null;
        try (Writer w = Files.newBufferedWriter(metrics, StandardCharsets.UTF_8)) {
            for (int round = 1; round <= s.rounds(); round++) {
                double[][] sum = new double[g.size()][];
                for (int i = 0; i < g.size(); i++) {
                    sum[i] = new double[g.get(i).values().length];
                }
                double fit = 0;
                for (int st = 0; st < stores.size(); st++) {
                    copy(g, l);
                    long seed = s.seed() * 1_000_003L + round * 1009L + st;
                    fit += FirstOrderClient.train(
                                    local,
                                    tokenizer,
                                    labelWords,
                                    stores.get(st),
                                    new FirstOrderClient.Settings(s.steps(), s.batchSize(), s.lr(), seed))
                            * stores.get(st).size();
                    double weight = (double) stores.get(st).size() / total;
                    for (int i = 0; i < l.size(); i++) {
                        float[] v = l.get(i).values();
                        for (int j = 0; j < v.length; j++) {
                            sum[i][j] += weight * v[j];
                        }
                    }
                }
                for (int i = 0; i < g.size(); i++) {
                    float[] v = g.get(i).values();
                    for (int j = 0; j < v.length; j++) {
                        v[j] = (float) sum[i][j];
                    }
                }
                // the eval replica is separate from both models: score the new global model
                score = eval.of(dev.atelier.zo.fed.ZoProvider.parameters(global));
                ObjectNode o = JSON.createObjectNode();
                o.put("round", round).put("fit_loss", fit / total);
                score.metrics().forEach(o::put);
                o.put("up_bytes_per_store", up);
                w.write(o.toString());
                w.write('\n');
                w.flush();
                if (log != null) {
                    log.printf(
                            Locale.ROOT,
                            "first-order FedAvg round %d/%d: train loss %.4f, test loss %.4f, accuracy %s%n",
                            round,
                            s.rounds(),
                            fit / total,
                            score.loss(),
                            score.accuracy());
                }
            }
        }
        return new Outcome(score, up);
    }

    private static void copy(List<Param> from, List<Param> to) {
        for (int i = 0; i < from.size(); i++) {
            float[] v = from.get(i).values();
            System.arraycopy(v, 0, to.get(i).values(), 0, v.length);
        }
    }
}
