package dev.atelier.zo.fed;

import dev.atelier.core.message.Config;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.workload.Node;
import dev.atelier.core.workload.WorkloadProvider;
import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.HfConfigReader;
import dev.atelier.zo.model.LmConfig;
import dev.atelier.zo.model.LmTokenizer;
import dev.atelier.zo.model.Param;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The {@code zo} workload: zeroth-order fine-tuning of a causal LM with seeds and scalars on the
 * wire, under strategy {@code fedkseed}. Workload settings: {@code model} (a Hugging Face folder,
 * required; every node needs the same checkpoint at that path, which the model digest checks) and
 * {@code max_len} (tokens per row, default 64). The initial global parameters are the model's,
 * F32, in {@link CausalLm#parameters} order. Stateless.
 */
public final class ZoProvider implements WorkloadProvider {
    public static final String NAME = "zo";
    public static final String MODEL = "model";
    public static final String MAX_LEN = "max_len";

    private final StoreDataSource source;

    public ZoProvider() {
        this(StoreDataSource.TOKEN_ROWS);
    }

    /** A provider whose stores read their data through {@code source} (a task's). */
    public ZoProvider(StoreDataSource source) {
        this.source = java.util.Objects.requireNonNull(source, "source");
    }

    @Override
    public String name() {
        return NAME;
    }

    static Path modelDir(Config config) {
        String dir = config.getString(MODEL, null);
        if (dir == null || dir.isBlank()) {
            throw new IllegalArgumentException("the zo workload needs '" + MODEL + "' (a Hugging Face model folder)");
        }
        return Path.of(dir);
    }

    @Override
    public ParamSet initialParameters(Config config) throws Exception {
        return parameters(CausalLm.load(modelDir(config)));
    }

    /** The model's parameters as F32 tensors in {@link CausalLm#parameters} order. */
    public static ParamSet parameters(CausalLm model) {
        ParamSet.Builder b = ParamSet.builder();
        for (Param p : model.parameters()) {
            int[] s = p.shape();
            long[] shape = new long[s.length];
            for (int i = 0; i < s.length; i++) {
                shape[i] = s[i];
            }
            b.putF32(p.name(), shape, p.values());
        }
        return b.build();
    }

    /**
     * Reads only the model's config here: the client loads the weights when the first instruction
     * says how much of them to hold ({@link ZoClient}), so a ZorBA node never holds the whole
     * model; its F32 copy goes to {@code stateDir/replica} (a temporary folder without a state dir).
     */
    @Override
    public Node createNode(String nodeId, Path dataDir, Path stateDir, Config config) throws Exception {
        Path dir = modelDir(config);
        LmConfig lm = HfConfigReader.read(dir.resolve("config.json"));
        StoreData data;
        Optional<LmTokenizer> tok = LmTokenizer.find(dir);
        try {
            data = source.open(nodeId, dataDir, lm, tok.orElse(null), config);
        } finally {
            tok.ifPresent(LmTokenizer::close);
        }
        return new Node(
                nodeId,
                List.of(),
                new ZoClient(
                        nodeId, dir, stateDir == null ? null : stateDir.resolve("replica"), data, ownBudget(config)));
    }

    /**
     * The memory budget this node declared itself ({@code atelier node --memory-budget}), which it
     * holds every train instruction to; 0 when it declared none.
     */
    static long ownBudget(Config config) {
        String key = WorkloadProvider.DECLARED_PREFIX + dev.atelier.zo.zorba.Declared.MEMORY_BUDGET;
        String v = config.getString(key, null);
        if (v == null) {
            return 0;
        }
        try {
            long b = Long.parseLong(v.trim());
            if (b > 0) {
                return b;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("this node's declared " + dev.atelier.zo.zorba.Declared.MEMORY_BUDGET
                + " must be a byte count > 0, got '" + v + "'");
    }
}
