package dev.atelier.transport.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.transport.app.CoordinatorMetrics;
import io.grpc.netty.shaded.io.netty.handler.ssl.NotSslRecordException;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Counting, classifying and rate-limited logging of refused handshakes (no network). */
class TlsRefusalsTest {
    private final List<TlsRefusal> counted = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private final AtomicLong now = new AtomicLong();
    private final TlsRefusals refusals = new TlsRefusals(counted::add, log::add, Duration.ofSeconds(60), now::get);

    private static SSLHandshakeException missingCertificate() {
        return new SSLHandshakeException(
                "error:10000418:SSL routines:OPENSSL_internal:PEER_DID_NOT_RETURN_A_CERTIFICATE");
    }

    @Test
    void everyRefusalIsCountedButEachHostIsLoggedOncePerIntervalWithTheNumberLeftOut() {
        for (int i = 0; i < 1000; i++) {
            refusals.handshakeFailed(null, "10.0.0.1", "/10.0.0.1:" + (4000 + i), missingCertificate());
        }
        refusals.handshakeFailed(null, "10.0.0.2", "/10.0.0.2:5000", missingCertificate());
        assertThat(counted).hasSize(1001).allMatch(r -> r.reason() == TlsRefusal.Reason.MISSING_CERTIFICATE);
        assertThat(log)
                .containsExactly(
                        "refused a node at the TLS handshake (missing-certificate, from /10.0.0.1:4000): the client"
                                + " presented no certificate (every node needs one issued by the federation CA)",
                        "refused a node at the TLS handshake (missing-certificate, from /10.0.0.2:5000): the client"
                                + " presented no certificate (every node needs one issued by the federation CA)");
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        refusals.handshakeFailed(null, "10.0.0.1", "/10.0.0.1:1", missingCertificate());
        assertThat(log).hasSize(2);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        refusals.handshakeFailed(null, "10.0.0.1", "/10.0.0.1:2", new NotSslRecordException("not an SSL/TLS record"));
        assertThat(log).hasSize(3);
        assertThat(log.get(2))
                .isEqualTo("refused a node at the TLS handshake (not-tls, from /10.0.0.1:2): not a TLS connection"
                        + " (plaintext or garbage bytes) (1000 more refusals from this host in the last interval"
                        + " were not logged)");
        assertThat(counted).hasSize(1003);
    }

    @Test
    void aFloodFromManyHostsKeepsTheLogAndTheMemoryBounded() {
        int hosts = TlsRefusals.MAX_PEERS + 500;
        for (int i = 0; i < hosts; i++) {
            String host = "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255);
            refusals.handshakeFailed(null, host, "/" + host + ":1", missingCertificate());
        }
        assertThat(counted).hasSize(hosts);
        // the hosts beyond the cap share one limit: one more line, not 500
        assertThat(log).hasSize(TlsRefusals.MAX_PEERS + 1);
        // once the interval is over, old hosts are forgotten and new ones get their own line again
        now.addAndGet(Duration.ofSeconds(61).toNanos());
        refusals.handshakeFailed(null, "192.168.1.1", "/192.168.1.1:1", missingCertificate());
        refusals.handshakeFailed(null, "192.168.1.2", "/192.168.1.2:1", missingCertificate());
        assertThat(log).hasSize(TlsRefusals.MAX_PEERS + 3);
    }

    @Test
    void theLogLineIsOneEscapedLineWhateverTheCauseSays() {
        String forged = "oops\n13:00:00.000 [main] INFO coordinator - round 9 finished\u001b[31m";
        refusals.handshakeFailed(null, "10.0.0.3", "/10.0.0.3:1", new SSLHandshakeException(forged));
        assertThat(counted).extracting(TlsRefusal::reason).containsExactly(TlsRefusal.Reason.HANDSHAKE_FAILED);
        assertThat(log)
                .singleElement()
                .satisfies(line ->
                        assertThat(line).doesNotContain("\n", "\u001b").contains("oops\\n13:00:00.000", "\\u001b[31m"));
    }

    @Test
    void aTrustManagerRefusalIsReportedOnceWithItsOwnReasonWhenItsHandshakeFails() throws Exception {
        SSLEngine engine = javax.net.ssl.SSLContext.getDefault().createSSLEngine();
        refusals.refusedByPolicy(
                engine, new TlsRefusal(TlsRefusal.Reason.REVOKED, "certificate 'n' (serial 1f) is revoked"));
        assertThat(counted).isEmpty();
        refusals.handshakeFailed(engine, "10.0.0.4", "/10.0.0.4:1", new SSLHandshakeException("CERTIFICATE_REVOKED"));
        assertThat(counted).extracting(TlsRefusal::reason).containsExactly(TlsRefusal.Reason.REVOKED);
        assertThat(log)
                .containsExactly(
                        "refused a node at the TLS handshake (revoked, from /10.0.0.4:1): certificate 'n' (serial 1f) is revoked");
    }

    @Test
    void causesAreClassifiedAndAClientThatHangsUpIsNoRefusal() {
        assertThat(TlsRefusal.ofHandshakeFailure(missingCertificate()).reason())
                .isEqualTo(TlsRefusal.Reason.MISSING_CERTIFICATE);
        assertThat(TlsRefusal.ofHandshakeFailure(new SSLHandshakeException("Empty client certificate chain"))
                        .reason())
                .isEqualTo(TlsRefusal.Reason.MISSING_CERTIFICATE);
        assertThat(TlsRefusal.ofHandshakeFailure(new javax.net.ssl.SSLException(
                                "wrapped", new NotSslRecordException("not an SSL/TLS record: 474554")))
                        .reason())
                .isEqualTo(TlsRefusal.Reason.NOT_TLS);
        assertThat(TlsRefusal.ofHandshakeFailure(new SslHandshakeTimeoutException("handshake timed out after 10000ms"))
                        .reason())
                .isEqualTo(TlsRefusal.Reason.HANDSHAKE_TIMEOUT);
        assertThat(TlsRefusal.ofHandshakeFailure(new SSLHandshakeException(
                                "error:10000412:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA"))
                        .reason())
                .isEqualTo(TlsRefusal.Reason.CLIENT_ALERT);
        assertThat(TlsRefusal.ofHandshakeFailure(new SSLHandshakeException("NO_SHARED_CIPHER"))
                        .reason())
                .isEqualTo(TlsRefusal.Reason.HANDSHAKE_FAILED);
        refusals.handshakeFailed(null, "10.0.0.5", "/10.0.0.5:1", new ClosedChannelException());
        refusals.handshakeFailed(
                null,
                "10.0.0.5",
                "/10.0.0.5:2",
                new SSLHandshakeException("Connection closed while SSL/TLS handshake was in progress"));
        assertThat(counted).isEmpty();
        assertThat(log).isEmpty();
    }

    @Test
    void theCounterIsLabelledByReasonWithEveryReasonPresent() {
        CoordinatorMetrics metrics = new CoordinatorMetrics("r", "linear", 1, List::of);
        TlsRefusals counting =
                new TlsRefusals(r -> metrics.tlsRefused(r.reason()), l -> {}, Duration.ofSeconds(1), now::get);
        counting.handshakeFailed(null, "h", "/h:1", missingCertificate());
        counting.handshakeFailed(null, "h", "/h:2", missingCertificate());
        counting.refusedConnected("h", "/h:3", new TlsRefusal(TlsRefusal.Reason.REVOKED, "x"));
        String text = metrics.render();
        assertThat(text)
                .contains("# TYPE atelier_tls_refusals_total counter")
                .contains("atelier_tls_refusals_total{reason=\"missing-certificate\"} 2")
                .contains("atelier_tls_refusals_total{reason=\"revoked\"} 1")
                .contains("atelier_tls_refusals_total{reason=\"not-tls\"} 0");
        for (TlsRefusal.Reason r : TlsRefusal.Reason.values()) {
            assertThat(text).contains("atelier_tls_refusals_total{reason=\"" + r.label() + "\"}");
        }
    }
}
