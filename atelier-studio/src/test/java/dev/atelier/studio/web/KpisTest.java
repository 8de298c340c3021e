package dev.atelier.studio.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.studio.store.KeptSketch;
import java.time.Instant;
import java.util.List;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;

class KpisTest {
    @Test
    void nearestRankPercentiles() {
        List<Double> v = DoubleStream.iterate(1, x -> x + 1).limit(20).boxed().toList(); // 1..20
        assertThat(Kpis.percentile(v, 50)).isEqualTo(10.0);
        assertThat(Kpis.percentile(v, 95)).isEqualTo(19.0);
        assertThat(Kpis.percentile(List.of(7.0), 95)).isEqualTo(7.0);
        assertThat(Kpis.percentile(List.of(), 50)).isNaN();
    }

    @Test
    void keepRateIsKeptOverDecidedAndDaysAreUtc() {
        Instant d1 = Instant.parse("2026-11-30T23:59:00Z");
        Instant d2 = Instant.parse("2026-12-01T00:01:00Z");
        List<KeptSketch> s =
                List.of(sketch(d1, true), sketch(d1, false), sketch(d2, null), sketch(d2, true), sketch(d2, true));
        Kpis k = Kpis.of(List.of(), s);
        assertThat(k.generated()).isEqualTo(5);
        assertThat(k.kept()).isEqualTo(3);
        assertThat(k.keepRate()).isEqualTo(0.75);
        assertThat(k.perDay().values()).extracting(a -> a[0] + "/" + a[1]).containsExactly("2/1", "3/2");
    }

    private static KeptSketch sketch(Instant at, Boolean decision) {
        return new KeptSketch("id", at, 1, "in", "coat.png", 1, false, 0, "plain", decision);
    }
}
