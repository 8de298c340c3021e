package dev.atelier.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.message.Failure;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class RoundRecordCodecTest {
    @Provide
    Arbitrary<RoundRecord> records() {
        Arbitrary<Failure> failure = Combinators.combine(
                        Arbitraries.strings().ofMinLength(1).ofMaxLength(12),
                        Arbitraries.of(Failure.Kind.class),
                        Arbitraries.strings().ofMaxLength(40))
                .as(Failure::new);
        Arbitrary<Double> value = Arbitraries.oneOf(
                Arbitraries.doubles(), Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, -0.0, Double.MIN_VALUE));
        Arbitrary<Map<String, Double>> metrics =
                Arbitraries.maps(Arbitraries.strings().ofMaxLength(10), value).ofMaxSize(4);
        return Combinators.combine(
                        Arbitraries.integers().between(1, 1_000_000),
                        Arbitraries.integers().between(0, 1000),
                        failure.list().ofMaxSize(3),
                        Arbitraries.of(true, false),
                        metrics,
                        metrics,
                        Arbitraries.longs().between(0, 10_000_000_000L))
                .as((round, sampled, failures, aggregated, fit, eval, millis) -> new RoundRecord(
                        round, sampled + failures.size(), sampled, failures, aggregated, fit, eval, millis / 1000.0));
    }

    @Property(tries = 300)
    void recordsRoundTripThroughTextAndTree(@ForAll("records") RoundRecord r) {
        String line = RoundRecordCodec.toJson(r);
        assertThat(line).doesNotContain("\n");
        assertThat(RoundRecordCodec.fromJson(line)).isEqualTo(r);
        assertThat(RoundRecordCodec.fromTree(RoundRecordCodec.toTree(r))).isEqualTo(r);
        assertThat(RoundRecordCodec.failuresFromJson(RoundRecordCodec.failuresToJson(r.failures())))
                .isEqualTo(r.failures());
        assertThat(RoundRecordCodec.metricsFromJson(RoundRecordCodec.metricsToJson(r.fit())))
                .isEqualTo(r.fit());
    }

    @Test
    void theLineFormatIsPinned() {
        RoundRecord r = new RoundRecord(
                3,
                4,
                3,
                List.of(new Failure("n2", Failure.Kind.TIMEOUT, null)),
                true,
                Map.of("loss", 0.41, "acc", Double.NaN),
                Map.of(),
                12.34567);
        assertThat(RoundRecordCodec.toJson(r))
                .isEqualTo("{\"round\":3,\"sampled\":4,\"replies\":3,\"aggregated\":true,"
                        + "\"fit\":{\"acc\":\"NaN\",\"loss\":0.41},\"eval\":{},\"seconds\":12.346,"
                        + "\"failures\":[{\"node\":\"n2\",\"kind\":\"TIMEOUT\",\"reason\":\"(no reason given)\"}],"
                        + "\"node_waits\":0,\"federated_eval\":null,\"privacy\":null}");
        assertThat(RoundRecordCodec.fromJson(RoundRecordCodec.toJson(r)).seconds())
                .isEqualTo(12.346);
    }

    @Test
    void thePrivacyObjectIsPinnedAndRoundTrips() {
        RoundPrivacy p = new RoundPrivacy(
                "secagg+dp",
                9,
                2,
                java.util.Optional.empty(),
                java.util.Optional.of(1.25),
                java.util.Optional.of(1e-5),
                java.util.Optional.of(0.9),
                java.util.Optional.of(0.03),
                java.util.Optional.of(0.5),
                java.util.Optional.of(0.55));
        RoundRecord r = new RoundRecord(
                1,
                12,
                9,
                List.of(),
                true,
                Map.of(),
                Map.of(),
                1.0,
                java.util.Optional.empty(),
                0,
                java.util.Optional.of(p));
        String line = RoundRecordCodec.toJson(r);
        assertThat(line)
                .endsWith("\"privacy\":{\"mode\":\"secagg+dp\",\"contributors\":9,\"dropped\":2,\"aborted\":null,"
                        + "\"epsilon\":1.25,\"delta\":1.0E-5,\"sigma\":0.9,\"snr\":0.03,\"clip_norm\":0.5,"
                        + "\"next_clip_norm\":0.55}}");
        assertThat(RoundRecordCodec.fromJson(line)).isEqualTo(r);
        // a line written before adaptive clipping (no clip norms) still reads, with both empty
        String older = line.replace(",\"clip_norm\":0.5,\"next_clip_norm\":0.55", "");
        assertThat(older).doesNotContain("clip_norm");
        assertThat(RoundRecordCodec.fromJson(older).privacy().orElseThrow().clipNorm())
                .isEmpty();
    }

    @Test
    void malformedRecordsAreRefusedWithOneLine() {
        String ok = RoundRecordCodec.toJson(new RoundRecord(1, 2, 2, List.of(), true, Map.of(), Map.of(), 1.0));
        for (String bad : List.of(
                "{\"round\":3,\"sampl",
                ok.replace("\"eval\":{},", ""),
                ok.replace("\"round\":1", "\"round\":\"1\""),
                ok.replace("\"round\":1", "\"round\":0"),
                ok.replace("\"replies\":2", "\"replies\":3"),
                ok.replace("\"seconds\":1.0", "\"seconds\":-1.0"),
                ok.replace("\"fit\":{}", "\"fit\":{\"loss\":null}"),
                ok.replace("\"failures\":[]", "\"failures\":[{\"node\":\"a\",\"kind\":\"LAZY\",\"reason\":\"x\"}]"),
                ok.replace("}", ",\"extra\":1}"))) {
            assertThatThrownBy(() -> RoundRecordCodec.fromJson(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("not a round record: ")
                    .hasMessageNotContaining("\n");
        }
    }
}
