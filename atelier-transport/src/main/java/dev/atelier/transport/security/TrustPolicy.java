package dev.atelier.transport.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CRLReason;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateRevokedException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Who may connect as a node: certificates signed by the federation CA, currently valid, meant
 * for client authentication, not revoked, and whose common name is on the allowlist. The
 * allowlist and revocation list are re-read when their files change (modification time or size,
 * checked at every handshake, which is once per node connection), so {@code atelier certs revoke}
 * takes effect for the next connection without restarting the coordinator.
 *
 * <p>Thread-safe.
 */
public final class TrustPolicy {
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private final X509Certificate ca;
    private final Path allowlistFile;
    private final Path revokedFile;
    private volatile Snapshot snapshot;

    private record Snapshot(
            String allowStamp, String revokedStamp, Set<String> allowlist, Map<BigInteger, String> revoked) {}

    /**
     * @param caCert        the federation CA certificate
     * @param allowlistFile allowed node names, one per line
     * @param revokedFile   revoked serials ({@code SERIAL_HEX NAME REVOKED_AT} per line)
     */
    public TrustPolicy(X509Certificate caCert, Path allowlistFile, Path revokedFile) {
        this.ca = caCert;
        this.allowlistFile = allowlistFile;
        this.revokedFile = revokedFile;
        this.snapshot = load();
    }

    /** The policy of a CA directory laid out as {@link CertLayout} describes. */
    public static TrustPolicy fromCaDir(Path caDir) throws IOException {
        return new TrustPolicy(
                Pem.readCertificate(caDir.resolve(CertLayout.CA_CERT)),
                caDir.resolve(CertLayout.ALLOWLIST),
                caDir.resolve(CertLayout.REVOKED));
    }

    public X509Certificate caCertificate() {
        return ca;
    }

    /**
     * Checks a client's chain (leaf first) and returns the node name (its certificate CN).
     *
     * @throws CertificateException with a one-line reason; subclasses tell expiry and revocation apart
     */
    public String verify(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("no client certificate presented");
        }
        X509Certificate leaf = chain[0];
        String name = commonName(leaf);
        if (!leaf.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            throw new UnknownIssuerException("certificate '" + name + "' was issued by "
                    + commonNameOf(leaf.getIssuerX500Principal().getName()) + ", not by this federation's CA "
                    + commonName(ca));
        }
        try {
            leaf.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new UnknownIssuerException("certificate '" + name + "' is not signed by this federation's CA "
                    + commonName(ca) + " (a different CA with the same name?)");
        }
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException e) {
            throw new CertificateExpiredException("certificate '" + name + "' expired on "
                    + leaf.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            throw new CertificateNotYetValidException("certificate '" + name + "' is not valid before "
                    + leaf.getNotBefore().toInstant());
        }
        Snapshot s = current();
        if (s.revoked.containsKey(leaf.getSerialNumber())) {
            throw new CertificateRevokedException(
                    Date.from(Instant.now()), CRLReason.UNSPECIFIED, ca.getSubjectX500Principal(), Map.of());
        }
        List<String> eku = leaf.getExtendedKeyUsage();
        if (eku == null || !eku.contains(CLIENT_AUTH)) {
            throw new WrongPurposeException("certificate '" + name + "' is not meant for client authentication");
        }
        if (!s.allowlist.contains(name)) {
            throw new NotAllowedException("node '" + name + "' is not on the coordinator's allowlist");
        }
        return name;
    }

    /** The reason a chain is refused, or null when it is accepted (for logs). */
    public String explain(X509Certificate[] chain) {
        try {
            verify(chain);
            return null;
        } catch (CertificateRevokedException e) {
            return "certificate '" + commonName(chain[0]) + "' (serial "
                    + chain[0].getSerialNumber().toString(16) + ") is revoked";
        } catch (CertificateException e) {
            return e.getMessage();
        }
    }

    /** The CN of a certificate subject, or its full name when it has no CN. */
    public static String commonName(X509Certificate cert) {
        return commonNameOf(cert.getSubjectX500Principal().getName());
    }

    static String commonNameOf(String rfc2253) {
        RDN[] cn = new X500Name(rfc2253).getRDNs(BCStyle.CN);
        return cn.length == 0
                ? rfc2253
                : IETFUtils.valueToString(cn[0].getFirst().getValue());
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        if (!stamp(allowlistFile).equals(s.allowStamp) || !stamp(revokedFile).equals(s.revokedStamp)) {
            s = load();
            snapshot = s;
        }
        return s;
    }

    private Snapshot load() {
        try {
            return new Snapshot(
                    stamp(allowlistFile), stamp(revokedFile), readAllowlist(allowlistFile), readRevoked(revokedFile));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the allowlist/revocation list: " + e.getMessage(), e);
        }
    }

    /** Modification time and size: changes whenever the file is edited. */
    private static String stamp(Path p) {
        try {
            return Files.exists(p)
                    ? Files.getLastModifiedTime(p).toMillis() + "/" + Files.size(p) + "/"
                            + Files.getLastModifiedTime(p).toInstant().getNano()
                    : "absent";
        } catch (IOException e) {
            return "unreadable";
        }
    }

    /** Names in an allowlist file; a missing file allows nobody. */
    static Set<String> readAllowlist(Path file) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    names.add(t);
                }
            }
        }
        return Set.copyOf(names);
    }

    /** Revoked serials with the name they were issued to. */
    static Map<BigInteger, String> readRevoked(Path file) throws IOException {
        Map<BigInteger, String> out = new HashMap<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    String[] f = t.split("\\s+");
                    out.put(new BigInteger(f[0], 16), f.length > 1 ? f[1] : "?");
                }
            }
        }
        return Map.copyOf(out);
    }

    /** The certificate was not issued by the federation CA. */
    public static final class UnknownIssuerException extends CertificateException {
        public UnknownIssuerException(String msg) {
            super(msg);
        }
    }

    /** The certificate lacks the client-authentication extended key usage. */
    public static final class WrongPurposeException extends CertificateException {
        public WrongPurposeException(String msg) {
            super(msg);
        }
    }

    /** The certificate is valid but its name is not allowed to join. */
    public static final class NotAllowedException extends CertificateException {
        public NotAllowedException(String msg) {
            super(msg);
        }
    }
}
