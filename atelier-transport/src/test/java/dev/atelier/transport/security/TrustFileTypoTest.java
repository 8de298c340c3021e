package dev.atelier.transport.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.transport.coordinator.CoordinatorTls;
import dev.atelier.transport.coordinator.FederationInfo;
import dev.atelier.transport.coordinator.GrpcTransport;
import dev.atelier.transport.node.NodeRefusedException;
import dev.atelier.transport.node.NodeRuntime;
import dev.atelier.transport.testing.NodeThreads;
import dev.atelier.transport.testing.TestPki;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A typo in a trust file costs its own line, named by file and line, never the whole federation. */
class TrustFileTypoTest {
    @TempDir
    Path tmp;

    @Test
    void aBadRevocationLineIsReportedAndIgnoredWhileTheGoodSerialStaysRevoked() throws Exception {
        TestPki pki = TestPki.create(tmp.resolve("pki"), "good", "revoked");
        CoordinatorTls tls = pki.coordinatorTls();
        GrpcTransport coordinator = GrpcTransport.builder()
                .setListen("127.0.0.1", 0)
                .setTls(tls)
                .setFederation(new FederationInfo("typo", "linear", Map.of()))
                .setWorkDir(tmp.resolve("coord"))
                .build()
                .start();
        try (NodeThreads nodes = new NodeThreads()) {
            // edited while the coordinator runs: a real revocation, then a hand-typed serial with a typo
            pki.ca().revoke("revoked");
            Path revoked = pki.dir().resolve(CertLayout.REVOKED);
            Files.writeString(revoked, "12g4ab bob 2026-12-01T09:00:00Z\n", StandardOpenOption.APPEND);
            int badLine = Files.readAllLines(revoked).size();

            nodes.start("good", pki, coordinator.port(), tmp);
            long end = System.nanoTime() + 10_000_000_000L;
            while (coordinator.nodes().isEmpty() && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertThat(coordinator.nodes()).extracting(n -> n.nodeId()).containsExactly("good");

            nodes.start("revoked", NodeRuntime.builder().setCertBundle(pki.bundle("revoked")), coordinator.port(), tmp);
            assertThat(nodes.awaitExit("revoked", Duration.ofSeconds(10)))
                    .isInstanceOf(NodeRefusedException.class)
                    .hasMessageContaining("has been revoked");

            assertThat(tls.policy().problems())
                    .singleElement()
                    .asString()
                    .contains("revoked.txt:" + badLine + ":")
                    .contains("'12g4ab'")
                    .contains("line ignored");
        } finally {
            coordinator.close();
        }
    }

    @Test
    void parsersSkipBadLinesWithFileAndLineAndKeepTheRest() throws Exception {
        Path allow = tmp.resolve("allowlist.txt");
        Files.writeString(allow, "# nodes\nalpha\nbeta gamma\n\n\u001b[31mevil\nbeta\n");
        List<String> problems = new ArrayList<>();
        assertThat(TrustFiles.allowlist(allow, problems::add)).containsExactlyInAnyOrder("alpha", "beta");
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).contains("allowlist.txt:3:").contains("'beta gamma'");
        assertThat(problems.get(1))
                .contains("allowlist.txt:5:")
                .contains("\\u001b")
                .doesNotContain("\u001b");

        Path revoked = tmp.resolve("revoked.txt");
        Files.write(
                revoked,
                ("1f2e alice 2026-01-01T00:00:00Z\n0x1f bob\n0\n" + "a".repeat(41) + "\n\u00ff\nABC\n")
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        problems.clear();
        assertThat(TrustFiles.revoked(revoked, problems::add))
                .containsOnlyKeys(new BigInteger("1f2e", 16), new BigInteger("abc", 16))
                .containsEntry(new BigInteger("abc", 16), "?");
        assertThat(problems)
                .extracting(p -> p.substring(p.indexOf("revoked.txt:"), p.indexOf(": ", p.indexOf("revoked.txt:"))))
                .containsExactly("revoked.txt:2", "revoked.txt:3", "revoked.txt:4", "revoked.txt:5");
        assertThat(TrustFiles.revoked(tmp.resolve("absent.txt"), problems::add)).isEmpty();
    }
}
