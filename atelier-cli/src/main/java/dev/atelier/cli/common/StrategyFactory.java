package dev.atelier.cli.common;

import dev.atelier.core.message.Config;
import dev.atelier.core.strategy.FedAdam;
import dev.atelier.core.strategy.FedAvg;
import dev.atelier.core.strategy.FedMedian;
import dev.atelier.core.strategy.FedProx;
import dev.atelier.core.strategy.FedYogi;
import dev.atelier.core.strategy.Krum;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.strategy.Strategy;
import dev.atelier.core.strategy.TrimmedMean;
import java.util.List;
import java.util.Locale;

/** Builds a {@link Strategy} from its command-line name. */
public final class StrategyFactory {
    public static final List<String> NAMES =
            List.of("fedavg", "fedprox", "fedadam", "fedyogi", "fedmedian", "trimmedmean", "krum");

    private StrategyFactory() {}

    /**
     * @param mu FedProx proximal coefficient (ignored by other strategies); trimmed mean trims 10%
     *           per side; Krum assumes one Byzantine node
     */
    public static Strategy create(String name, Sampling sampling, Config trainConfig, double mu) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "fedavg" -> new FedAvg(sampling, trainConfig);
            case "fedprox" -> new FedProx(sampling, trainConfig, mu);
            case "fedadam" -> new FedAdam(sampling, trainConfig);
            case "fedyogi" -> new FedYogi(sampling, trainConfig);
            case "fedmedian" -> new FedMedian(sampling, trainConfig);
            case "trimmedmean" -> new TrimmedMean(sampling, trainConfig, 0.1);
            case "krum" -> new Krum(sampling, trainConfig, 1);
            default ->
                throw new IllegalArgumentException(
                        "unknown strategy '" + name + "' (choose one of " + String.join(", ", NAMES) + ")");
        };
    }
}
