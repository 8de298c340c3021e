package dev.atelier.cli.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.strategy.StrategySpec;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class StrategySpecConverterTest {
    @Command(name = "probe")
    static final class Probe {
        @Option(names = "--strategy", defaultValue = "fedavg", converter = StrategySpecConverter.class)
        StrategySpec strategy;
    }

    private static Probe parse(String... args) {
        Probe p = new Probe();
        new CommandLine(p).parseArgs(args);
        return p;
    }

    @Test
    void optionsBecomeTypedSpecsAndBadOnesAUsageErrorListingWhatIsAccepted() {
        assertThat(parse().strategy).isEqualTo(new StrategySpec.FedAvgSpec());
        assertThat(parse("--strategy", "multikrum:f=1,m=3").strategy).isEqualTo(new StrategySpec.MultiKrumSpec(1, 3));
        assertThatThrownBy(() -> parse("--strategy", "krum:f=x"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("Invalid value for option '--strategy': strategy 'krum:f=x': f must be an integer >= 0,"
                        + " got 'x'; krum accepts f (an integer >= 0, default 1)");
        assertThatThrownBy(() -> parse("--strategy", "sgd"))
                .hasMessageContaining("unknown strategy 'sgd'; accepted: fedavg | fedprox[:mu=0.01] |");
    }
}
