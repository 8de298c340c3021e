package dev.atelier.sketch.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoLayoutTest {
    @TempDir
    Path tmp;

    @Test
    void pathsAreTheDocumentedOnes() {
        DemoLayout l = new DemoLayout(Path.of("run"));
        assertThat(l.reportJson()).isEqualTo(Path.of("run/report.json"));
        assertThat(l.reportHtml()).isEqualTo(Path.of("run/report.html"));
        assertThat(l.sketch("ada", DemoRegime.FEDERATED, 7)).isEqualTo(Path.of("run/sketches/ada/federated-007.png"));
        assertThat(l.modelDir("ada", DemoRegime.LOCAL_ONLY).root()).isEqualTo(Path.of("run/models/ada/local_only"));
        assertThat(l.model("ada", DemoRegime.LOCAL_ONLY))
                .isEqualTo(Path.of("run/models/ada/local_only/model.safetensors"));
        assertThat(l.model("ada", DemoRegime.STUDENT))
                .isEqualTo(Path.of("run/models/ada/federated/student.safetensors"));
        assertThat(l.federationCard("ada"))
                .isEqualTo(Path.of("run/models/ada/federated/federation-style-card.safetensors"));
        assertThat(l.federationRun()).isEqualTo(Path.of("run/federation"));
        assertThat(l.privateFederationRun()).isEqualTo(Path.of("run/federation-private"));
        assertThat(l.outputs())
                .containsExactlyInAnyOrder(
                        Path.of("run/report.html"),
                        Path.of("run/report.json"),
                        Path.of("run/sketches"),
                        Path.of("run/models"),
                        Path.of("run/federation"),
                        Path.of("run/federation-private"));
    }

    @Test
    void designersAreTheModelFolders() throws Exception {
        DemoLayout l = new DemoLayout(tmp);
        assertThat(l.designers()).isEmpty();
        Files.createDirectories(l.model("zoe", DemoRegime.FEDERATED).getParent());
        Files.createDirectories(l.model("ada", DemoRegime.FEDERATED).getParent());
        Files.writeString(l.models().resolve("notes.txt"), "not a designer");
        assertThat(l.designers()).containsExactly("ada", "zoe");
    }

    @Test
    void regimeKeysRoundTrip() {
        for (DemoRegime r : DemoRegime.values()) {
            assertThat(DemoRegime.ofKey(r.key())).isEqualTo(r);
        }
        assertThat(DemoRegime.STUDENT.federation()).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DemoRegime.ofKey("fedavg"))
                .hasMessageContaining("local_only, federated, centralized, student");
    }
}
