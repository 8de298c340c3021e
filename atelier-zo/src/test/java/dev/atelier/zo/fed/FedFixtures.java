package dev.atelier.zo.fed;

import dev.atelier.core.message.Config;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.core.strategy.TrainKeys;
import dev.atelier.core.workload.Node;
import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.Family;
import dev.atelier.zo.model.Param;
import dev.atelier.zo.model.RandomCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** A tiny random GPT-2 folder, token-row stores with a learnable pattern, and bit comparisons. */
final class FedFixtures {
    static final RandomCheckpoint.Spec SPEC = new RandomCheckpoint.Spec(48, 16, 2, 4, 2, 4, 32, 32);

    private FedFixtures() {}

    /** Writes the tiny model into {@code dir}. */
    static Path model(Path dir) throws IOException {
        var shapes = RandomCheckpoint.shapes(Family.GPT2, SPEC, true);
        RandomCheckpoint.write(
                dir, RandomCheckpoint.config(Family.GPT2, SPEC, true), shapes, RandomCheckpoint.random(shapes, 5, 0.2));
        return dir;
    }

    /**
     * A store of {@code rows} rows of 12 tokens: each row counts up from a random start with the
     * store's own stride (mod vocab), so the next token is predictable from the previous one.
     */
    static Path store(Path dir, int stride, int rows, long seed) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            int start = r.nextInt(SPEC.vocab());
            for (int t = 0; t < 12; t++) {
                s.append(t == 0 ? "" : ",").append((start + t * stride) % SPEC.vocab());
            }
            s.append('\n');
        }
        Files.writeString(dir.resolve("rows.ids"), s.toString());
        return dir;
    }

    static Config workload(Path model) {
        return Config.of(Map.of(ZoProvider.MODEL, model.toString(), ZoProvider.MAX_LEN, 12));
    }

    static Config train(int steps, double lr) {
        return Config.of(Map.of(TrainKeys.LOCAL_STEPS, steps, TrainKeys.BATCH_SIZE, 2, TrainKeys.LEARNING_RATE, lr));
    }

    /** {@code n} nodes n0..n{n-1}, store i with stride i+1. */
    static List<Node> nodes(Path tmp, Path model, int n) throws Exception {
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path data = store(tmp.resolve("store" + i), i + 1, 30, 100 + i);
            out.add(new ZoProvider().createNode("n" + i, data, null, workload(model)));
        }
        return out;
    }

    static ZoClient client(Node node) {
        return (ZoClient) node.workload();
    }

    /** Every parameter's raw float bits, in parameters() order. */
    static int[] bits(CausalLm m) {
        List<Integer> out = new ArrayList<>();
        for (Param p : m.parameters()) {
            for (float v : p.values()) {
                out.add(Float.floatToRawIntBits(v));
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    static int[] bits(ParamSet s) {
        List<Integer> out = new ArrayList<>();
        for (Tensor t : s.asMap().values()) {
            for (float v : t.toFloats()) {
                out.add(Float.floatToRawIntBits(v));
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
