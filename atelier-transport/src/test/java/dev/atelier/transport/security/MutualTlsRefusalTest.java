package dev.atelier.transport.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.transport.coordinator.FederationInfo;
import dev.atelier.transport.coordinator.GrpcTransport;
import dev.atelier.transport.coordinator.TransportListener;
import dev.atelier.transport.node.NodeRefusedException;
import dev.atelier.transport.node.NodeRuntime;
import dev.atelier.transport.proto.FederationGrpc;
import dev.atelier.transport.proto.RegisterRequest;
import dev.atelier.transport.testing.NodeThreads;
import dev.atelier.transport.testing.TestPki;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who the coordinator lets in, and what a refused node is told. */
class MutualTlsRefusalTest {
    @TempDir
    Path tmp;

    private TestPki pki;
    private GrpcTransport coordinator;
    private final List<String> serverLog = new CopyOnWriteArrayList<>();
    private final List<TlsRefusal.Reason> reasons = new CopyOnWriteArrayList<>();
    private NodeThreads nodes;

    @BeforeEach
    void start() throws Exception {
        pki = TestPki.create(tmp.resolve("pki"), "good", "revoked", "unlisted");
        pki.ca().revoke("revoked");
        pki.ca()
                .issue(
                        "expired",
                        Role.NODE,
                        List.of(),
                        Instant.now().minusSeconds(3 * 86400),
                        Instant.now().minusSeconds(86400));
        pki.ca()
                .issue(
                        "future",
                        Role.NODE,
                        List.of(),
                        Instant.now().plusSeconds(86400),
                        Instant.now().plusSeconds(3 * 86400));
        Files.writeString(pki.dir().resolve(CertLayout.ALLOWLIST), "good\nrevoked\nexpired\nforeign\nfuture\n");
        coordinator = GrpcTransport.builder()
                .setListen("127.0.0.1", 0)
                .setTls(pki.coordinatorTls())
                .setFederation(new FederationInfo("tls", "linear", Map.of()))
                .setWorkDir(tmp.resolve("coord"))
                .optListener(new TransportListener() {
                    @Override
                    public void onTlsRefused(TlsRefusal refusal) {
                        serverLog.add(refusal.detail());
                        reasons.add(refusal.reason());
                    }
                })
                .build()
                .start();
        nodes = new NodeThreads();
    }

    @AfterEach
    void stop() throws Exception {
        nodes.close();
        coordinator.close();
    }

    private Throwable runNode(String name, Path bundle) throws Exception {
        nodes.start(name, NodeRuntime.builder().setCertBundle(bundle), coordinator.port(), tmp);
        return nodes.awaitExit(name, Duration.ofSeconds(10));
    }

    @Test
    void validNodeIsAdmitted() throws Exception {
        nodes.start("good", pki, coordinator.port(), tmp);
        long end = System.nanoTime() + 10_000_000_000L;
        while (coordinator.nodes().isEmpty() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertThat(coordinator.nodes()).extracting(n -> n.nodeId()).containsExactly("good");
        assertThat(serverLog).isEmpty();
    }

    @Test
    void revokedCertificateIsRefusedWithReason() throws Exception {
        Throwable exit = runNode("revoked", pki.bundle("revoked"));
        assertThat(exit)
                .isInstanceOf(NodeRefusedException.class)
                .hasMessageContaining("'revoked'")
                .hasMessageContaining("has been revoked");
        assertThat(serverLog).anyMatch(r -> r.contains("'revoked'") && r.contains("is revoked"));
        awaitReasons(1);
        assertThat(reasons)
                .as("counted once, by the trust manager's reason")
                .containsExactly(TlsRefusal.Reason.REVOKED);
    }

    @Test
    void expiredCertificateIsRefusedWithReason() throws Exception {
        Throwable exit = runNode("expired", pki.bundle("expired"));
        assertThat(exit).isInstanceOf(NodeRefusedException.class).hasMessageContaining("has expired");
        assertThat(serverLog).anyMatch(r -> r.contains("'expired' expired on"));
        awaitReasons(1);
        assertThat(reasons)
                .as("counted once, by the trust manager's reason")
                .containsExactly(TlsRefusal.Reason.EXPIRED);
    }

    @Test
    void aCertificateNotValidYetIsRefusedAsNotYetValidNotAsExpired() throws Exception {
        Throwable exit = runNode("future", pki.bundle("future"));
        assertThat(exit)
                .isInstanceOf(NodeRefusedException.class)
                .hasMessageContaining("'future': the certificate is not valid yet (valid ")
                .hasMessageContaining("(check the clock")
                .hasMessageNotContaining("expired");
        assertThat(serverLog).anyMatch(r -> r.contains("'future' is not valid before"));
        awaitReasons(1);
        assertThat(reasons)
                .as("counted once, by the trust manager's reason")
                .containsExactly(TlsRefusal.Reason.NOT_YET_VALID);
    }

    @Test
    void aKeyThatDoesNotMatchItsCertificateIsOneClearErrorAtStartOnBothSides() throws Exception {
        Path bundle = tmp.resolve("swapped");
        Files.createDirectories(bundle);
        Files.copy(pki.bundle("good").resolve(CertLayout.CERT), bundle.resolve(CertLayout.CERT));
        Files.copy(pki.bundle("unlisted").resolve(CertLayout.KEY), bundle.resolve(CertLayout.KEY));
        Files.copy(pki.bundle("good").resolve(CertLayout.CA_CERT), bundle.resolve(CertLayout.CA_CERT));
        String expected = "the private key " + bundle.resolve(CertLayout.KEY) + " does not match the certificate "
                + bundle.resolve(CertLayout.CERT) + " ('good'); use the key.pem issued with that cert.pem";
        // the node: refused when it is built, before it dials (no retry loop)
        assertThatThrownBy(() -> NodeRuntime.builder()
                        .setCertBundle(bundle)
                        .setCoordinator("127.0.0.1:" + coordinator.port())
                        .setNodeFactory((id, cfg) -> {
                            throw new AssertionError("never created");
                        })
                        .setWorkDir(tmp.resolve("w"))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(expected);
        // the coordinator: refused when its TLS context is built
        assertThatThrownBy(() -> TlsContexts.server(
                        new CertLayout.Bundle(bundle), pki.coordinatorTls().policy(), new TlsRefusals(r -> {})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(expected);
    }

    @Test
    void certificateFromAnotherCaIsRefusedWithReason() throws Exception {
        CertificateAuthority other =
                CertificateAuthority.init(tmp.resolve("other"), "Test Federation CA", Duration.ofDays(1));
        Path bundle =
                other.issue("foreign", Role.NODE, List.of(), Duration.ofDays(1)).bundle();
        // the impostor has the real CA certificate (it is public) but a key pair signed by its own CA
        Files.copy(
                pki.dir().resolve(CertLayout.CA_CERT),
                bundle.resolve(CertLayout.CA_CERT),
                StandardCopyOption.REPLACE_EXISTING);
        Throwable exit = runNode("foreign", bundle);
        assertThat(exit)
                .isInstanceOf(NodeRefusedException.class)
                .hasMessageContaining("not issued by the federation's CA");
        assertThat(serverLog)
                .anyMatch(r -> r.contains("'foreign'") && r.contains("not signed by this federation's CA"));
        awaitReasons(1);
        assertThat(reasons)
                .as("counted once, by the trust manager's reason")
                .containsExactly(TlsRefusal.Reason.OTHER_CA);
    }

    @Test
    void nameNotOnAllowlistIsRefusedWithReason() throws Exception {
        Throwable exit = runNode("unlisted", pki.bundle("unlisted"));
        assertThat(exit)
                .isInstanceOf(NodeRefusedException.class)
                .hasMessageContaining("not on the coordinator's allowlist");
        assertThat(serverLog).anyMatch(r -> r.contains("'unlisted' is not on the coordinator's allowlist"));
        awaitReasons(1);
        assertThat(reasons)
                .as("counted once, by the trust manager's reason")
                .containsExactly(TlsRefusal.Reason.NOT_ALLOWLISTED);
    }

    @Test
    void nodeWithoutCertificateIsRefusedWithReasonAndTheCoordinatorCountsAndLogsIt() throws Exception {
        String log = StderrCapture.during(() -> {
            assertRawRegisterRefused(
                    TlsContexts.clientWithoutCertificate(pki.dir().resolve(CertLayout.CA_CERT)), "presented none");
            awaitReasons(1);
        });
        // refused by the TLS engine before the trust manager runs: seen by the handshake watch
        assertThat(reasons).containsExactly(TlsRefusal.Reason.MISSING_CERTIFICATE);
        assertThat(serverLog)
                .containsExactly(
                        "the client presented no certificate (every node needs one issued by the federation CA)");
        assertThat(log)
                .containsOnlyOnce("refused a node at the TLS handshake (missing-certificate, from /127.0.0.1:")
                .contains("the client presented no certificate");
        // authenticated nodes still get in, and nothing more is counted
        nodes.start("good", pki, coordinator.port(), tmp);
        long end = System.nanoTime() + 10_000_000_000L;
        while (coordinator.nodes().isEmpty() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertThat(coordinator.nodes()).extracting(n -> n.nodeId()).containsExactly("good");
        assertThat(reasons).containsExactly(TlsRefusal.Reason.MISSING_CERTIFICATE);
    }

    @Test
    void plaintextClientsAreCountedEachAndLoggedOncePerHostAndAProbeThatHangsUpIsNotARefusal() throws Exception {
        int clients = 30;
        String log = StderrCapture.during(() -> {
            try (var probe = new java.net.Socket("127.0.0.1", coordinator.port())) {
                // a TCP health check: connects and hangs up without a byte
            }
            for (int i = 0; i < clients; i++) {
                try (var s = new java.net.Socket("127.0.0.1", coordinator.port())) {
                    s.setSoTimeout(10_000);
                    s.getOutputStream()
                            .write("GET /status HTTP/1.1\r\nHost: x\r\n\r\n"
                                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    // the coordinator closes the connection (it may send a TLS alert first)
                    while (s.getInputStream().read() >= 0) {}
                } catch (java.net.SocketException reset) {
                    // closed with a reset: refused as well
                }
            }
            awaitReasons(clients);
        });
        assertThat(reasons).hasSize(clients).containsOnly(TlsRefusal.Reason.NOT_TLS);
        assertThat(log).containsOnlyOnce("refused a node at the TLS handshake (not-tls, from /127.0.0.1:");
    }

    /** Waits (up to 10 s) until at least {@code n} refusals were reported, then 200 ms for extra ones. */
    private void awaitReasons(int n) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (reasons.size() < n && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        Thread.sleep(200);
    }

    @Test
    void nodeThatDoesNotTrustTheCoordinatorSaysSo() throws Exception {
        Path bundle = tmp.resolve("mixed");
        Files.createDirectories(bundle);
        Files.copy(pki.bundle("good").resolve(CertLayout.CERT), bundle.resolve(CertLayout.CERT));
        Files.copy(pki.bundle("good").resolve(CertLayout.KEY), bundle.resolve(CertLayout.KEY));
        CertificateAuthority other = CertificateAuthority.init(tmp.resolve("other2"), "Other CA", Duration.ofDays(1));
        Files.copy(other.dir().resolve(CertLayout.CA_CERT), bundle.resolve(CertLayout.CA_CERT));
        Throwable exit = runNode("good", bundle);
        assertThat(exit)
                .isInstanceOf(NodeRefusedException.class)
                .hasMessageContaining("does not trust the coordinator's certificate");
        awaitReasons(1);
        assertThat(reasons).containsExactly(TlsRefusal.Reason.CLIENT_ALERT);
    }

    @Test
    void revocationTakesEffectWithoutRestartingTheCoordinator() throws Exception {
        validNodeIsAdmitted();
        pki.ca().revoke("good");
        assertRawRegisterRefused(TlsContexts.client(new CertLayout.Bundle(pki.bundle("good"))), "revoked");
    }

    @Test
    void revokingAConnectedNodeCutsItsSessionWithTheReason() throws Exception {
        validNodeIsAdmitted();
        pki.ca().revoke("good");
        // The node's next heartbeat or pull on its existing TLS session is refused; it stops with the reason.
        Throwable exit = nodes.awaitExit("good", Duration.ofSeconds(30));
        assertThat(exit)
                .isInstanceOf(NodeRefusedException.class)
                .hasMessageContaining("'good'")
                .hasMessageContaining("revoked");
        assertThat(serverLog).anyMatch(r -> r.contains("'good'") && r.contains("is revoked"));
    }

    @Test
    void insecureModeIsRefusedOffLoopback() {
        assertThatThrownBy(() -> GrpcTransport.builder()
                        .setListen("0.0.0.0", 0)
                        .optInsecure(true)
                        .setFederation(new FederationInfo("x", "linear", Map.of()))
                        .setWorkDir(tmp)
                        .build())
                .hasMessageContaining("only allowed on a loopback address");
        assertThatThrownBy(() -> NodeRuntime.builder()
                        .setCoordinator("10.1.2.3:7443")
                        .optInsecure("n")
                        .setNodeFactory((id, c) -> null)
                        .setWorkDir(tmp)
                        .build())
                .hasMessageContaining("only allowed with a loopback coordinator");
    }

    /** A bare register call over {@code tls} is refused, and the node-side diagnosis contains {@code reason}. */
    private void assertRawRegisterRefused(SslContext tls, String reason) {
        var channel = NettyChannelBuilder.forAddress("127.0.0.1", coordinator.port())
                .sslContext(tls)
                .build();
        try {
            assertThatThrownBy(() -> FederationGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(10, TimeUnit.SECONDS)
                            .register(RegisterRequest.newBuilder()
                                    .setProtocolVersion(1)
                                    .build()))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> assertThat(RefusalDiagnosis.diagnose(e, null))
                                    .hasValueSatisfying(r -> assertThat(r).contains(reason)));
        } finally {
            channel.shutdownNow();
        }
    }
}
