package dev.atelier.zo.zorba;

import dev.atelier.core.message.Config;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.strategy.Strategy;
import dev.atelier.core.strategy.StrategyParam;
import dev.atelier.core.strategy.StrategyProvider;
import dev.atelier.zo.fed.BlockLayout;
import dev.atelier.zo.fed.FedKSeed;
import dev.atelier.zo.fed.SeedPool;
import dev.atelier.zo.fed.ZoFedSettings;
import dev.atelier.zo.model.CausalLm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Registers ZorBA as {@code zorba[:k=1024,floor=0.5,eps=0.1,lex=1]} for the coordinator's
 * {@code strategy} key: {@link FedKSeed} with a {@link ZorbaPlanner} reading each node's
 * {@link Declared} budget and example count from its registration properties. The coordinator
 * needs the model's folder in train key {@value #MODEL} (its config and block layout; the same
 * checkpoint the nodes load) and the tokens per row in {@value #MAX_LEN} (default 64, as the zo
 * workload's). {@code floor}: the coverage floor φ; {@code eps}: the lexicographic slack ε;
 * {@code lex=0}: the first stage only. Stateless.
 */
public final class ZorbaProvider implements StrategyProvider {
    public static final String MODEL = "zorba.model";
    public static final String MAX_LEN = "zorba.max_len";

    static final List<StrategyParam> PARAMS = List.of(
            new StrategyParam("k", true, 1, true, SeedPool.MAX_K, true, FedKSeed.DEFAULT_K),
            new StrategyParam("floor", false, 0, false, 1, true, 0.5),
            new StrategyParam("eps", false, 0, true, 10, true, 0.1),
            new StrategyParam("lex", true, 0, true, 1, true, 1));

    @Override
    public String name() {
        return FedKSeed.ZORBA;
    }

    @Override
    public List<StrategyParam> params() {
        return PARAMS;
    }

    @Override
    public Strategy create(List<Double> values, Sampling sampling, Config trainConfig) {
        String dir = trainConfig.getString(MODEL, null);
        if (dir == null || dir.isBlank()) {
            throw new IllegalArgumentException("strategy zorba needs train." + MODEL
                    + " (the model folder, as the nodes' workload_settings.model) to model client memory");
        }
        CausalLm model;
        try {
            model = CausalLm.load(Path.of(dir));
        } catch (IOException e) {
            throw new UncheckedIOException("strategy zorba: cannot read the model at " + dir, e);
        }
        int seq =
                Math.min(trainConfig.getInt(MAX_LEN, 64), model.config().dims().maxPositions());
        ZoFedSettings fed = ZoFedSettings.read(trainConfig);
        BlockLayout layout = BlockLayout.of(model);
        ZorbaPlanner planner = new ZorbaPlanner(
                model.config(),
                layout,
                fed.batch(),
                seq,
                values.get(1),
                values.get(2),
                values.get(3) == 1,
                ZorbaPlanner.RESIDENCY,
                fed.updateScope().alwaysScalars(dev.atelier.zo.train.Trainable.all(model), layout),
                Declared::of,
                ZorbaProvider::log);
        return new FedKSeed(sampling, trainConfig, values.get(0).intValue(), FedKSeed.CatchUp.AUTO, planner);
    }

    /** The coordinator's side of "told why": each round's allocation and every exclusion, logged. */
    static void log(dev.atelier.zo.alloc.Allocation a) {
        // looked up here, not in a static field: the registry instantiates every provider, and a
        // coordinator that never runs zorba should not pay for the logger (nor its class loading)
        System.Logger logger = System.getLogger(ZorbaProvider.class.getName());
        logger.log(
                System.Logger.Level.INFO,
                "zorba round {0}: {1} nodes allocated ({2}), {3} left out",
                a.round(),
                a.assigned().size(),
                String.join(
                        "; ",
                        a.assigned().stream()
                                .map(x -> x.client() + " blocks " + x.blocks())
                                .toList()),
                a.excluded().size());
        for (var e : a.excluded()) {
            logger.log(
                    System.Logger.Level.WARNING,
                    "zorba round {0}: node {1} left out: {2}",
                    a.round(),
                    e.client(),
                    e.reason());
        }
    }
}
