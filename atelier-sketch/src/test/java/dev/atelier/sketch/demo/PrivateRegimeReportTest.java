package dev.atelier.sketch.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.privacy.PrivacyOptions;
import dev.atelier.core.privacy.secagg.SecAggStage;
import dev.atelier.sketch.fed.ScriptedDropouts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The private regime's report: every number reaches report.json and report.html, and the dropout script. */
class PrivateRegimeReportTest {
    @Test
    void dropoutsAreOnePerRoundFromTheSecondAndThirdDesigner() {
        ScriptedDropouts d = PrivateFederation.dropouts(List.of("a", "b", "c", "d"), 3);
        assertThat(d.drops())
                .containsExactly(
                        new ScriptedDropouts.Drop("b", 1, SecAggStage.UNMASK),
                        new ScriptedDropouts.Drop("c", 2, SecAggStage.COLLECT_MASKED_VECTORS));
        assertThat(PrivateFederation.dropouts(List.of("a", "b", "c"), 1).drops())
                .hasSize(1);
    }

    @Test
    void jsonAndHtmlCarryEpsilonSnrQualityAndCost() {
        PrivateRegimeReport r = new PrivateRegimeReport(
                PrivacyOptions.SecAgg.defaults(),
                PrivateFederation.dropouts(List.of("a", "b", "c"), 2),
                List.of(new PrivateRegimeReport.Round(1, 3, 0, 2.5), new PrivateRegimeReport.Round(2, 2, 1, 1.5)),
                8,
                1e-5,
                1.0,
                0.6,
                0.125,
                Map.of("a", 7.5, "b", 7.9, "c", 7.7),
                0.07,
                new PrivateRegimeReport.Quality(0.34, 30.4),
                new PrivateRegimeReport.Quality(0.29, 27.0),
                new FederationCost(181, 65, 3.2, 1_555_232, 1_533_632, 3, 2),
                new FederationCost(262, 134, 9.8, 1_495_693, 1_602_978, 3, 2));
        Map<String, Object> m = r.toMap();
        assertThat(((Map<?, ?>) m.get("dp_sgd")).get("max_epsilon")).isEqualTo(7.9);
        assertThat(((Map<?, ?>) m.get("dp_sgd")).get("snr")).isEqualTo(0.07);
        Map<?, ?> cost = (Map<?, ?>) ((Map<?, ?>) m.get("cost")).get("private");
        assertThat(cost.get("bytes_from_nodes")).isEqualTo(1_495_693L);
        assertThat(cost.get("protocol_seconds")).isEqualTo(9.8);
        assertThat((double) cost.get("bytes_from_node_per_designer_round")).isEqualTo(1_495_693 / 6.0);
        assertThat(((Map<?, ?>) m.get("secagg")).get("rounds").toString()).contains("dropped=1");
        String html = r.html();
        assertThat(html)
                .contains("b stops answering at secagg.unmask of round 1")
                .contains("c stops answering at secagg.collect_masked_vectors of round 2")
                .contains("<tr><td>2</td><td>2</td><td>1</td><td>1.5</td></tr>")
                .contains("ε ≤ 7.90")
                .contains("= 0.070")
                .contains("<td>0.290</td><td>27.000</td><td>262.0</td><td>134.0</td><td>9.8</td><td>1,495,693</td>");
        assertThat(r.summary()).contains("style acc 0.340 -> 0.290").contains("1495693 vs 1555232 bytes");
    }
}
