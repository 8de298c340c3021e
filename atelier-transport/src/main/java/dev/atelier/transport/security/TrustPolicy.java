package dev.atelier.transport.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
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
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may connect as a node: certificates signed by the federation CA, currently valid, meant
 * for client authentication, not revoked, and whose common name is on the allowlist. The
 * allowlist and revocation list are re-read when their files change (modification time or size,
 * checked at every handshake, which is once per node connection), so {@code atelier certs revoke}
 * takes effect for the next connection without restarting the coordinator.
 *
 * <p>The files are parsed once per change ({@link TrustFiles}): a line that does not parse is
 * logged with its file and line number and ignored, the rest of the file applies. A file that
 * cannot be read at a reload (permissions, I/O) keeps the last good lists in force, logged once per
 * change; at construction it is an error. {@link #problems()} lists what the current lists skipped.
 *
 * <p>Thread-safe.
 */
public final class TrustPolicy {
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private final X509Certificate ca;
    private final Path allowlistFile;
    private final Path revokedFile;
    private volatile Snapshot snapshot;

    private static final Logger LOG = LoggerFactory.getLogger("atelier.coordinator");

    private record Snapshot(
            String allowStamp,
            String revokedStamp,
            Set<String> allowlist,
            Map<BigInteger, String> revoked,
            List<String> problems) {}

    /**
     * @param caCert        the federation CA certificate
     * @param allowlistFile allowed node names, one per line
     * @param revokedFile   revoked serials ({@code SERIAL_HEX NAME REVOKED_AT} per line)
     */
    public TrustPolicy(X509Certificate caCert, Path allowlistFile, Path revokedFile) {
        this.ca = caCert;
        this.allowlistFile = allowlistFile;
        this.revokedFile = revokedFile;
        this.snapshot = load(null);
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

    /** Lines the current allowlist/revocation list skipped, and read failures, as {@code FILE:LINE: why}. */
    public List<String> problems() {
        return current().problems;
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
        TlsRefusal r = refusal(chain);
        return r == null ? null : r.detail();
    }

    /** Why a chain is refused, or null when it is accepted. */
    public TlsRefusal refusal(X509Certificate[] chain) {
        try {
            verify(chain);
            return null;
        } catch (CertificateException e) {
            return refusal(chain, e);
        }
    }

    /** The refusal {@code e}, thrown by {@link #verify} for {@code chain}, stands for. */
    static TlsRefusal refusal(X509Certificate[] chain, CertificateException e) {
        if (e instanceof CertificateRevokedException) {
            return new TlsRefusal(
                    TlsRefusal.Reason.REVOKED,
                    "certificate '" + commonName(chain[0]) + "' (serial "
                            + chain[0].getSerialNumber().toString(16) + ") is revoked");
        }
        if (chain == null || chain.length == 0) {
            return new TlsRefusal(TlsRefusal.Reason.MISSING_CERTIFICATE, e.getMessage());
        }
        return new TlsRefusal(TlsRefusal.of(e), e.getMessage());
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
            synchronized (this) {
                s = snapshot;
                if (!stamp(allowlistFile).equals(s.allowStamp)
                        || !stamp(revokedFile).equals(s.revokedStamp)) {
                    s = load(s);
                    snapshot = s;
                }
            }
        }
        return s;
    }

    /**
     * Parses both files. With a {@code previous} policy a file that cannot be read keeps its last
     * good list (the new stamp is kept too, so the failure is logged once per change); without one
     * it is an error.
     */
    private Snapshot load(Snapshot previous) {
        String allowStamp = stamp(allowlistFile);
        String revokedStamp = stamp(revokedFile);
        List<String> problems = new ArrayList<>();
        Set<String> allow;
        Map<BigInteger, String> revoked;
        try {
            allow = TrustFiles.allowlist(allowlistFile, problems::add);
        } catch (IOException | RuntimeException e) {
            allow = keep(previous, allowlistFile, e, problems).allowlist;
        }
        try {
            revoked = TrustFiles.revoked(revokedFile, problems::add);
        } catch (IOException | RuntimeException e) {
            revoked = keep(previous, revokedFile, e, problems).revoked;
        }
        for (String p : problems) {
            LOG.error("trust file problem: {}", p);
        }
        if (previous != null) {
            LOG.info(
                    "trust files reloaded: {} allowed names, {} revoked serials, {} problem(s)",
                    allow.size(),
                    revoked.size(),
                    problems.size());
        }
        return new Snapshot(allowStamp, revokedStamp, allow, revoked, List.copyOf(problems));
    }

    private static Snapshot keep(Snapshot previous, Path file, Exception e, List<String> problems) {
        if (previous == null) {
            throw new UncheckedIOException(
                    "cannot read " + file + ": " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
        problems.add(file + ": cannot be read (" + e.getMessage() + ") — keeping the previous list");
        return previous;
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

    /** Names in an allowlist file; a missing file allows nobody; bad lines are logged and skipped. */
    static Set<String> readAllowlist(Path file) throws IOException {
        return TrustFiles.allowlist(file, p -> LOG.warn("{}", p));
    }

    /** Revoked serials with the name they were issued to; bad lines are logged and skipped. */
    static Map<BigInteger, String> readRevoked(Path file) throws IOException {
        return TrustFiles.revoked(file, p -> LOG.warn("{}", p));
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
