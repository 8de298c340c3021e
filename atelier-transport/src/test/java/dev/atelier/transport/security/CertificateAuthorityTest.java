package dev.atelier.transport.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateRevokedException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
    @TempDir
    Path tmp;

    @Test
    void issuesBundlesThatTheTrustPolicyAccepts() throws Exception {
        CertificateAuthority ca = CertificateAuthority.init(tmp, "Atelier CA", Duration.ofDays(30));
        IssuedCertificate node = ca.issue("alice", Role.NODE, List.of(), Duration.ofDays(7));
        IssuedCertificate coord =
                ca.issue("coordinator", Role.COORDINATOR, List.of("127.0.0.1", "fl.example.org"), Duration.ofDays(7));
        X509Certificate cert = Pem.readCertificate(node.bundle().resolve(CertLayout.CERT));
        assertThat(TrustPolicy.commonName(cert)).isEqualTo("alice");
        assertThat(cert.getSerialNumber()).isEqualTo(node.serial());
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(Pem.readPrivateKey(node.bundle().resolve(CertLayout.KEY)).getAlgorithm())
                .isEqualTo("EC");
        assertThat(Files.readString(tmp.resolve(CertLayout.ALLOWLIST)))
                .contains("alice")
                .doesNotContain("coordinator");
        X509Certificate server = Pem.readCertificate(coord.bundle().resolve(CertLayout.CERT));
        assertThat(server.getSubjectAlternativeNames())
                .extracting(l -> l.get(1).toString())
                .containsExactly("127.0.0.1", "fl.example.org");
        assertThat(TrustPolicy.fromCaDir(tmp).verify(new X509Certificate[] {cert}))
                .isEqualTo("alice");
        // a coordinator certificate lacks nothing but is not on the node allowlist
        assertThatThrownBy(() -> TrustPolicy.fromCaDir(tmp).verify(new X509Certificate[] {server}))
                .hasMessageContaining("allowlist");
        assertThat(Files.getPosixFilePermissions(node.bundle().resolve(CertLayout.KEY))
                        .toString())
                .isEqualTo("[OWNER_READ, OWNER_WRITE]");
    }

    @Test
    void revokeAndExpiryAreRefusedByThePolicy() throws Exception {
        CertificateAuthority ca = CertificateAuthority.init(tmp, "Atelier CA", Duration.ofDays(30));
        var bob = ca.issue("bob", Role.NODE, List.of(), Duration.ofDays(7));
        var old = ca.issue(
                "old",
                Role.NODE,
                List.of(),
                Instant.now().minusSeconds(7200),
                Instant.now().minusSeconds(3600));
        TrustPolicy policy = TrustPolicy.fromCaDir(tmp);
        X509Certificate bobCert = Pem.readCertificate(bob.bundle().resolve(CertLayout.CERT));
        assertThat(policy.verify(new X509Certificate[] {bobCert})).isEqualTo("bob");
        assertThat(ca.revoke("bob")).containsExactly(bob.serial());
        assertThatThrownBy(() -> policy.verify(new X509Certificate[] {bobCert}))
                .isInstanceOf(CertificateRevokedException.class);
        assertThat(policy.explain(new X509Certificate[] {bobCert}))
                .contains("'bob'")
                .contains("revoked");
        assertThatThrownBy(() -> policy.verify(
                        new X509Certificate[] {Pem.readCertificate(old.bundle().resolve(CertLayout.CERT))}))
                .isInstanceOf(CertificateExpiredException.class)
                .hasMessageContaining("'old' expired on");
        // re-issuing gives a fresh serial that is accepted again
        var bob2 = ca.issue("bob", Role.NODE, List.of(), Duration.ofDays(7));
        assertThat(policy.verify(
                        new X509Certificate[] {Pem.readCertificate(bob2.bundle().resolve(CertLayout.CERT))}))
                .isEqualTo("bob");
    }

    @Test
    void refusesToOverwriteACaAndRejectsBadNames() throws Exception {
        CertificateAuthority ca = CertificateAuthority.init(tmp, "Atelier CA", Duration.ofDays(30));
        assertThatThrownBy(() -> CertificateAuthority.init(tmp, "again", Duration.ofDays(1)))
                .hasMessageContaining("refusing to overwrite");
        assertThatThrownBy(() -> ca.issue("../evil", Role.NODE, List.of(), Duration.ofDays(1)))
                .hasMessageContaining("must be 1-64 letters");
        assertThatThrownBy(() -> ca.revoke("nobody")).hasMessageContaining("no certificate was issued to 'nobody'");
        assertThatThrownBy(() -> CertificateAuthority.load(tmp.resolve("missing")))
                .hasMessageContaining("atelier certs init");
    }
}
