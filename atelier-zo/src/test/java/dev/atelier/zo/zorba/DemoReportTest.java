package dev.atelier.zo.zorba;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.zo.alloc.Allocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's report files and the bench's ratios, from a result with known numbers. */
class DemoReportTest {
    @TempDir
    Path tmp;

    private static DemoResult.Client client(String id, long budget, String excluded, Set<Integer> blocks, long peak) {
        long[] up = excluded == null ? new long[] {55, 55} : new long[2];
        return new DemoResult.Client(
                id,
                10,
                budget,
                excluded,
                new TreeSet<>(blocks),
                excluded == null ? peak + 1 : -1,
                peak,
                up,
                up.clone());
    }

    private static DemoResult result() {
        List<DemoResult.Point> fo =
                List.of(new DemoResult.Point(0, 0.2, 0.15, 0.25, 3), new DemoResult.Point(2, 0.5, 0.44, 0.56, 1.5));
        List<DemoResult.Point> z =
                List.of(new DemoResult.Point(0, 0.2, 0.15, 0.25, 3), new DemoResult.Point(2, 0.4, 0.34, 0.46, 2));
        Allocation a = new Allocation(
                1,
                2,
                List.of(
                        new Allocation.Assignment("s0", new TreeSet<>(Set.of(1)), 40, 50, 10),
                        new Allocation.Assignment("s1", new TreeSet<>(Set.of(0, 1)), 45, 200, 10)),
                List.of(),
                20,
                20,
                85,
                0.5,
                0.1,
                true);
        return new DemoResult(
                "base",
                1000,
                2,
                275,
                127,
                List.of(
                        new DemoResult.Method(
                                ZorbaDemo.FO,
                                fo,
                                List.of(
                                        client("s0", 50, "budget 50 B is below", Set.of(), -1),
                                        client("s1", 200, null, Set.of(0, 1), 200)),
                                "computed",
                                4,
                                null,
                                null),
                        new DemoResult.Method(
                                ZorbaDemo.FULL_ZO,
                                z,
                                List.of(
                                        client("s0", 50, null, Set.of(0, 1), 48),
                                        client("s1", 200, null, Set.of(0, 1), 48)),
                                "wire",
                                2,
                                null,
                                null),
                        new DemoResult.Method(
                                ZorbaDemo.ZORBA,
                                z,
                                List.of(
                                        client("s0", 50, null, Set.of(1), 40),
                                        client("s1", 200, null, Set.of(0, 1), 44)),
                                "wire",
                                1.5,
                                a,
                                new DemoResult.VsZeroShot(
                                        new dev.atelier.zo.compare.Paired(275, 40, 20, 20.0 / 275, 0.01, 0.13, 0.013),
                                        false))),
                60);
    }

    @Test
    void theRatiosUseTheLargestParticipatingPeaksAndNewcombesInterval() {
        ZorbaRatios r = ZorbaRatios.of(result());
        assertThat(r.peakVsFirstOrder()).isCloseTo(44.0 / 200, within(1e-12));
        assertThat(r.peakVsFullZo()).isCloseTo(44.0 / 48, within(1e-12));
        assertThat(r.uploadBytes()).isEqualTo(55);
        assertThat(r.accuracyGap()).isCloseTo(-0.1, within(1e-12));
        assertThat(r.gapLow()).isCloseTo(-0.1 - Math.hypot(0.06, 0.06), within(1e-12));
        assertThat(r.gapHigh()).isCloseTo(-0.1 + Math.hypot(0.06, 0.06), within(1e-12));
        assertThat(r.format()).contains("0.220 (goal <= 0.35)").contains("55 B (goal <= 1024)");
    }

    @Test
    void theReportIsSelfContainedAndHoldsEveryPart() throws Exception {
        DemoReport.write(result(), tmp);
        String html = Files.readString(tmp.resolve("report.html"));
        assertThat(html)
                .contains("<svg", "Test accuracy per round", "Per-store peak memory against budget")
                .contains("left out: budget 50 B is below", "Allocation: store × block", "both stages")
                .contains("55 / 55")
                .contains("+0.073 [+0.010, +0.130], p = 0.013</td>")
                .doesNotContain("<script", "http://cdn", "https://");
        JsonNode j = new ObjectMapper().readTree(tmp.resolve("report.json").toFile());
        assertThat(j.get("methods")).hasSize(3);
        JsonNode zorba = j.get("methods").get(2);
        assertThat(zorba.get("allocation")
                        .get("assigned")
                        .get(0)
                        .get("blocks")
                        .get(0)
                        .intValue())
                .isEqualTo(1);
        assertThat(zorba.get("clients").get(0).get("measured_peak_bytes").longValue())
                .isEqualTo(40);
        assertThat(j.get("methods").get(0).get("clients").get(0).get("included").booleanValue())
                .isFalse();
        assertThat(j.get("methods")
                        .get(0)
                        .get("rounds")
                        .get(1)
                        .get("test_accuracy")
                        .doubleValue())
                .isEqualTo(0.5);
        // the bench reads a report back and gets the same ratios
        DemoResult back = DemoResult.fromJson(Files.readString(tmp.resolve("report.json")));
        assertThat(ZorbaRatios.of(back)).isEqualTo(ZorbaRatios.of(result()));
        assertThat(back.methods().get(2).allocation())
                .isEqualTo(result().methods().get(2).allocation());
        assertThat(back.methods().get(2).vsZeroShot())
                .isEqualTo(result().methods().get(2).vsZeroShot());
        assertThat(back.methods().get(0).vsZeroShot()).isNull();
    }
}
