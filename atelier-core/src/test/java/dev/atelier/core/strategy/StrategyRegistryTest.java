package dev.atelier.core.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.message.Config;
import dev.atelier.core.strategy.StrategySpec.FedAvgSpec;
import dev.atelier.core.strategy.StrategySpec.FedMedianSpec;
import dev.atelier.core.strategy.StrategySpec.FedOptSpec;
import dev.atelier.core.strategy.StrategySpec.FedProxSpec;
import dev.atelier.core.strategy.StrategySpec.KrumSpec;
import dev.atelier.core.strategy.StrategySpec.MultiKrumSpec;
import dev.atelier.core.strategy.StrategySpec.TrimmedMeanSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class StrategyRegistryTest {
    private static final Sampling EIGHT = new Sampling(1.0, 8, 8, 0.0);

    @Provide
    Arbitrary<StrategySpec> specs() {
        Arbitrary<FedOptSettings> settings = Combinators.combine(
                        Arbitraries.doubles().between(1e-6, 10).ofScale(8),
                        Arbitraries.doubles().between(0, 0.999).ofScale(6),
                        Arbitraries.doubles().between(0, 0.999).ofScale(6),
                        Arbitraries.doubles().between(1e-12, 1).ofScale(14))
                .as(FedOptSettings::new);
        return Arbitraries.oneOf(
                Arbitraries.just(new FedAvgSpec()),
                Arbitraries.just(new FedMedianSpec()),
                Arbitraries.doubles().between(0, 100).ofScale(9).map(FedProxSpec::new),
                Arbitraries.doubles().between(0, 0.4999).ofScale(9).map(TrimmedMeanSpec::new),
                Arbitraries.integers().between(0, 100).map(KrumSpec::new),
                Combinators.combine(
                                Arbitraries.integers().between(0, 100),
                                Arbitraries.integers().between(1, 100))
                        .as(MultiKrumSpec::new),
                Combinators.combine(Arbitraries.of(true, false), settings).as(FedOptSpec::new));
    }

    @Property
    void canonicalTextParsesBackToTheSameSpec(@ForAll("specs") StrategySpec spec) {
        assertThat(StrategyRegistry.parse(spec.text())).isEqualTo(spec);
        assertThat(StrategyRegistry.parse(
                        " " + spec.text().toUpperCase(java.util.Locale.ROOT).replace("E-", "e-")))
                .isEqualTo(spec);
    }

    @Property
    void outOfRangeTrimFractionsAreRefusedWithTheAcceptedRange(@ForAll double beta) {
        String text = "trimmedmean:beta=" + beta;
        if (beta >= 0 && beta < 0.5) {
            assertThat(StrategyRegistry.parse(text)).isEqualTo(new TrimmedMeanSpec(beta));
        } else {
            assertThatThrownBy(() -> StrategyRegistry.parse(text))
                    .hasMessage("strategy '" + text + "': beta must be in [0, 0.5), got '" + beta
                            + "'; trimmedmean accepts beta (in [0, 0.5), default 0.1)");
        }
    }

    @Test
    void eachNameBuildsItsStrategyWithTheGivenParameters() {
        Config train = Config.of(java.util.Map.of(TrainKeys.LOCAL_STEPS, 5));
        assertThat(StrategyRegistry.create("fedavg", EIGHT, train)).isExactlyInstanceOf(FedAvg.class);
        assertThat(StrategyRegistry.create("fedmedian", EIGHT, train)).isExactlyInstanceOf(FedMedian.class);
        assertThat(((FedProx) StrategyRegistry.create("fedprox:mu=0.25", EIGHT, train)).mu())
                .isEqualTo(0.25);
        assertThat(((FedProx) StrategyRegistry.create("fedprox", EIGHT, train)).mu())
                .isEqualTo(0.01);
        assertThat(((TrimmedMean) StrategyRegistry.create("trimmedmean:beta=0.2", EIGHT, train)).beta())
                .isEqualTo(0.2);
        Krum krum = (Krum) StrategyRegistry.create("krum:f=2", EIGHT, train);
        assertThat(krum.byzantine()).isEqualTo(2);
        assertThat(krum.selected()).isEqualTo(1);
        MultiKrum multi = (MultiKrum) StrategyRegistry.create("MultiKrum: f = 1 , m = 3", EIGHT, train);
        assertThat(multi.name()).isEqualTo("multikrum");
        assertThat(multi.byzantine()).isEqualTo(1);
        assertThat(multi.selected()).isEqualTo(3);
        FedAdam adam = (FedAdam) StrategyRegistry.create("fedadam:eta=0.05,tau=1e-3", EIGHT, train);
        assertThat(adam.settings()).isEqualTo(new FedOptSettings(0.05, 0.9, 0.99, 1e-3));
        FedYogi yogi = (FedYogi) StrategyRegistry.create("fedyogi", EIGHT, train);
        assertThat(yogi.settings()).isEqualTo(FedOptSettings.yogiDefaults());
        assertThat(yogi.trainConfig()).isEqualTo(train);
        for (String name : StrategyRegistry.names()) {
            String spec = name.equals("multikrum") ? "multikrum:m=2" : name;
            assertThat(StrategyRegistry.create(spec, EIGHT, train).name()).isEqualTo(name);
        }
    }

    @Test
    void onlyTheCollectingStrategiesHoldEveryReply() {
        for (String name : StrategyRegistry.names()) {
            String spec = name.equals("multikrum") ? "multikrum:m=2" : name;
            boolean robust = name.equals("fedmedian") || name.equals("trimmedmean") || name.contains("krum");
            assertThat(StrategyRegistry.create(spec, EIGHT, Config.empty()).holdsEveryReply())
                    .as(name)
                    .isEqualTo(robust);
        }
    }

    @Test
    void badSpecsAreRefusedWithOneLineListingWhatIsAccepted() {
        assertThatThrownBy(() -> StrategyRegistry.parse("fedsgd"))
                .hasMessage("unknown strategy 'fedsgd'; accepted: fedavg | fedprox[:mu=0.01]"
                        + " | fedadam[:eta=0.1,beta1=0.9,beta2=0.99,tau=1.0E-9]"
                        + " | fedyogi[:eta=0.01,beta1=0.9,beta2=0.99,tau=0.001] | fedmedian"
                        + " | trimmedmean[:beta=0.1] | krum[:f=1] | multikrum:f=1,m=M");
        assertThatThrownBy(() -> StrategyRegistry.parse("krum:g=2"))
                .hasMessage("strategy 'krum:g=2': has no parameter 'g'; krum accepts f (an integer >= 0, default 1)");
        assertThatThrownBy(() -> StrategyRegistry.parse("krum:f=1.5"))
                .hasMessage("strategy 'krum:f=1.5': f must be an integer >= 0, got '1.5';"
                        + " krum accepts f (an integer >= 0, default 1)");
        assertThatThrownBy(() -> StrategyRegistry.parse("krum:f=-1"))
                .hasMessageContaining("f must be an integer >= 0, got '-1'");
        assertThatThrownBy(() -> StrategyRegistry.parse("krum:f=99999999999"))
                .hasMessageContaining("f must be an integer >= 0, got '99999999999'");
        assertThatThrownBy(() -> StrategyRegistry.parse("multikrum:f=1"))
                .hasMessage("strategy 'multikrum:f=1': needs m; multikrum accepts f (an integer >= 0, default 1),"
                        + " m (an integer >= 1, required)");
        assertThatThrownBy(() -> StrategyRegistry.parse("fedavg:mu=0.1"))
                .hasMessage("strategy 'fedavg:mu=0.1': has no parameter 'mu'; fedavg takes no parameters");
        assertThatThrownBy(() -> StrategyRegistry.parse("fedprox:mu=0.1,mu=0.2"))
                .hasMessageContaining("'mu' is given twice");
        assertThatThrownBy(() -> StrategyRegistry.parse("fedprox:")).hasMessageContaining("'' is not KEY=VALUE");
        assertThatThrownBy(() -> StrategyRegistry.parse("fedprox:mu=NaN"))
                .hasMessageContaining("mu must be >= 0, got 'NaN'");
        assertThatThrownBy(() -> StrategyRegistry.parse("fedadam:eta=0"))
                .hasMessageContaining("eta must be > 0, got '0'")
                .hasMessageContaining("fedadam accepts eta (> 0, default 0.1), beta1 (in [0, 1), default 0.9),");
        assertThatThrownBy(() -> StrategyRegistry.parse(null)).hasMessageStartingWith("unknown strategy ''");
    }

    @Test
    void samplingDependentLimitsNameTheSpec() {
        assertThatThrownBy(() -> StrategyRegistry.create("krum:f=3", EIGHT, Config.empty()))
                .hasMessageStartingWith("strategy krum:f=3: Krum with f=3 needs more than 2f+2=8 replies per round");
        assertThatThrownBy(() -> StrategyRegistry.create(
                        "fedprox:mu=0.2", EIGHT, Config.of(java.util.Map.of(TrainKeys.PROXIMAL_MU, 0.1))))
                .hasMessageContaining("contradicts config 'proximal_mu'");
    }

    @Test
    void programmaticSpecsAreRangeCheckedToo() {
        assertThatThrownBy(() -> new TrimmedMeanSpec(0.5)).hasMessage("trimmedmean beta must be in [0, 0.5), got 0.5");
        assertThatThrownBy(() -> new MultiKrumSpec(1, 0)).hasMessage("multikrum m must be an integer >= 1, got 0");
        assertThat(new MultiKrumSpec(1, 3).text()).isEqualTo("multikrum:f=1,m=3");
        assertThat(new FedProxSpec(0.01).text()).isEqualTo("fedprox:mu=0.01");
    }
}
