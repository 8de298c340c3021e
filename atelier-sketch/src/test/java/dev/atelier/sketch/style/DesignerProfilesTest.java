package dev.atelier.sketch.style;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DesignerProfilesTest {

    @TempDir
    Path dir;

    @Test
    void defaultFileHasEightDesignersOnePerStyle() {
        List<DesignerProfile> d = DesignerProfiles.loadDefault();
        assertThat(d).extracting(DesignerProfile::style).containsExactlyElementsOf(Styles.names());
        assertThat(d)
                .extracting(DesignerProfile::name)
                .containsExactly(
                        "ada-contour",
                        "bram-bold",
                        "dalia-detail",
                        "hugo-hatch",
                        "stella-stipple",
                        "chloe-chalk",
                        "bruno-blueprint",
                        "wanda-wobbly");
        assertThat(d)
                .extracting(DesignerProfile::trainPairs)
                .containsExactlyInAnyOrder(60, 76, 95, 120, 151, 189, 238, 300);
        for (DesignerProfile p : d) {
            assertThat(Arrays.stream(p.garmentMix()).sum()).isCloseTo(1.0, within(1e-9));
            assertThat(p.sketchStyle().styleName()).isEqualTo(p.style());
        }
    }

    @Test
    void defaultFileIsExactlyTheSeededDirichletGenerator() {
        assertThat(DesignerProfiles.loadDefault())
                .isEqualTo(DesignerProfiles.generate(8, DesignerProfiles.DEFAULT_ALPHA, DesignerProfiles.DEFAULT_SEED));
    }

    @Test
    void defaultMixesAreSkewedAsDirichletPointThreeShouldBe() {
        // Dirichlet(0.3) over 10 categories: expected largest share ≈ 0.5, top-3 ≈ 0.85.
        double top1 = 0;
        double top3 = 0;
        for (DesignerProfile p : DesignerProfiles.loadDefault()) {
            int[] top = p.topCategories(3);
            top1 += p.share(top[0]) / 8;
            top3 += (p.share(top[0]) + p.share(top[1]) + p.share(top[2])) / 8;
        }
        assertThat(top1).isBetween(0.35, 0.7);
        assertThat(top3).isBetween(0.7, 0.95);
    }

    @Test
    void saveAndLoadRoundTrip() throws IOException {
        List<DesignerProfile> g = DesignerProfiles.generate(12, 0.5, 99L);
        Path f = dir.resolve("d.json");
        Files.writeString(f, DesignerProfiles.toJson(g, "twelve", null));
        assertThat(DesignerProfiles.load(f)).isEqualTo(g);
        assertThat(g.get(8).name()).isEqualTo("ada-contour-2");
        assertThat(g).extracting(DesignerProfile::trainPairs).contains(60, 300);
    }

    @Test
    void checkedInFileMatchesTheFileGenerator() throws IOException {
        try (var in = DesignerProfiles.class.getResourceAsStream(DesignerProfiles.DEFAULT_RESOURCE)) {
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo(DesignersFileGenerator.defaultJson());
        }
    }

    private String write(String designerJson) throws IOException {
        Path f = dir.resolve("designers.json");
        Files.writeString(f, "{\"format\": \"atelier-designers/1\", \"designers\": [" + designerJson + "]}");
        return f.toString();
    }

    private static final String MIX = "[0.5, 0.5, 0, 0, 0, 0, 0, 0, 0, 0]";

    private void assertRejected(String designerJson, String... fragments) throws IOException {
        String file = write(designerJson);
        assertThatThrownBy(() -> DesignerProfiles.load(Path.of(file)))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage())
                        .doesNotContain("\n")
                        .startsWith(file + ": ")
                        .contains(fragments));
    }

    @Test
    void validationErrorsNameTheFileAndField() throws IOException {
        assertRejected(
                "{\"name\": \"x\", \"style\": \"watercolour\", \"trainPairs\": 5, \"garmentMix\": " + MIX + "}",
                "designers[0].style 'watercolour' is unknown",
                "contour, bold");
        assertRejected(
                "{\"name\": \"x\", \"style\": \"bold\", \"trainPairs\": 5, \"garmentMix\": [0.5, 0.4, 0, 0, 0, 0, 0, 0, 0, 0]}",
                "designers[0].garmentMix sums to 0.9",
                "1 ± 1.0E-6");
        assertRejected(
                "{\"name\": \"x\", \"style\": \"bold\", \"trainPairs\": -3, \"garmentMix\": " + MIX + "}",
                "designers[0].trainPairs must be >= 0, got -3");
        assertRejected(
                "{\"name\": \"x\", \"style\": \"bold\", \"trainPairs\": 5, \"garmentMix\": [1, 0]}",
                "designers[0].garmentMix must have 10 entries, got 2");
        assertRejected(
                "{\"name\": \"x\", \"style\": \"bold\", \"trainPairs\": 5, \"garmentMix\": [1.5, -0.5, 0, 0, 0, 0, 0, 0, 0, 0]}",
                "designers[0].garmentMix[1] must be a finite probability >= 0");
        assertRejected(
                "{\"name\": \"x\", \"style\": \"bold\", \"garmentMix\": " + MIX + "}",
                "designers[0].trainPairs is missing");
        assertRejected(
                "{\"name\": \"x\", \"style\": \"bold\", \"trainPairs\": 2.5, \"garmentMix\": " + MIX + "}",
                "designers[0].trainPairs must be an integer");
        assertRejected(
                "{\"name\": \"x\", \"style\": \"bold\", \"trainpairs\": 5, \"garmentMix\": " + MIX + "}",
                "designers[0].trainpairs is not a known field");
        assertRejected(
                "{\"name\": \"x\", \"style\": \"bold\", \"trainPairs\": 5, \"garmentMix\": " + MIX + "},"
                        + "{\"name\": \"x\", \"style\": \"hatch\", \"trainPairs\": 5, \"garmentMix\": " + MIX + "}",
                "designers[1].name 'x' duplicates designers[0]");
        assertRejected(
                "{\"name\": \"x\", \"style\": \"bold\", \"trainPairs\": 5, \"garmentMix\": " + MIX,
                "not valid JSON",
                "line 1");
    }

    @Test
    void emptyOrWrongTopLevelIsRejected() throws IOException {
        Path f = dir.resolve("empty.json");
        Files.writeString(f, "{\"format\": \"atelier-designers/1\", \"designers\": []}");
        assertThatThrownBy(() -> DesignerProfiles.load(f)).hasMessage(f + ": designers must be a non-empty array");
        Files.writeString(f, "{\"format\": \"atelier-designers/2\", \"designers\": []}");
        assertThatThrownBy(() -> DesignerProfiles.load(f)).hasMessageContaining("format is 'atelier-designers/2'");
        assertThatThrownBy(() -> DesignerProfiles.load(dir.resolve("missing.json")))
                .hasMessageContaining("missing.json: cannot read");
    }

    @Test
    void recordCopiesItsMixAndComparesByContent() {
        double[] mix = {0.5, 0.5, 0, 0, 0, 0, 0, 0, 0, 0};
        DesignerProfile p = new DesignerProfile("p", "chalk", mix, 10);
        mix[0] = 0.9;
        assertThat(p.share(0)).isEqualTo(0.5);
        p.garmentMix()[1] = 0.7;
        assertThat(p.share(1)).isEqualTo(0.5);
        assertThat(p).isEqualTo(new DesignerProfile("p", "chalk", new double[] {0.5, 0.5, 0, 0, 0, 0, 0, 0, 0, 0}, 10));
        assertThat(p.topCategories(3)).containsExactly(0, 1, 2);
    }
}
