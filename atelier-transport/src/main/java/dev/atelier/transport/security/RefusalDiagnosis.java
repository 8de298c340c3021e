package dev.atelier.transport.security;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns a failed TLS handshake seen by a node into one clear sentence: which side refused, why,
 * and what to do. Combines the alert the coordinator sent (see {@link TlsAlerts}) with a check of
 * the node's own certificate bundle. Stateless and thread-safe.
 */
public final class RefusalDiagnosis {
    private RefusalDiagnosis() {}

    /**
     * The reason when {@code failure} is a TLS refusal (permanent until an operator acts), empty
     * when it is something else (e.g. the coordinator is down, which is worth retrying).
     *
     * @param bundle the node's certificate bundle, or null when it has none
     */
    public static Optional<String> diagnose(Throwable failure, CertLayout.Bundle bundle) {
        String text = chainText(failure);
        String upper = text.toUpperCase(Locale.ROOT);
        String who = identity(bundle);
        String reason = null;
        if (upper.contains("CERTIFICATE_REVOKED")) {
            reason = "the coordinator refused " + who
                    + ": the certificate has been revoked — ask the federation operator for a new one";
        } else if (upper.contains("CERTIFICATE_EXPIRED") && notYetValid(bundle)) {
            // BoringSSL (netty's OpenSSL engine) sends certificate_expired for "not yet valid" too
            reason = notYetValidReason(who, bundle);
        } else if (upper.contains("CERTIFICATE_EXPIRED")) {
            reason = "the coordinator refused " + who + ": the certificate has expired" + validity(bundle)
                    + " — ask the federation operator to issue a new one";
        } else if (upper.contains("CERTIFICATE_REQUIRED") || (bundle == null && upper.contains("HANDSHAKE_FAILURE"))) {
            reason =
                    "the coordinator requires a client certificate and this node presented none — pass --cert-dir with the"
                            + " cert.pem/key.pem/ca.crt bundle made by `atelier certs issue NAME`";
        } else if (upper.contains("UNKNOWN_CA")) {
            reason = "the coordinator refused " + who + ": it was not issued by the federation's CA" + issuer(bundle)
                    + " — use the bundle made by the coordinator's `atelier certs issue`";
        } else if (upper.contains("UNSUPPORTED_CERTIFICATE")) {
            reason = "the coordinator refused " + who + ": it is not a node (client-authentication) certificate";
        } else if (upper.contains("BAD_CERTIFICATE")) {
            reason = notYetValid(bundle)
                    ? notYetValidReason(who, bundle)
                    : "the coordinator refused " + who
                            + ": its name is not on the coordinator's allowlist — ask the operator to add it";
        } else if (upper.contains("PKIX")
                || upper.contains("UNABLE TO FIND VALID CERTIFICATION PATH")
                || upper.contains("CERTIFICATE_VERIFY_FAILED")
                || upper.contains("NO SUBJECT ALTERNATIVE")
                || upper.contains("NO NAME MATCHING")
                || upper.contains("HOSTNAME")) {
            reason = "this node does not trust the coordinator's certificate (" + firstLine(text)
                    + ") — check that --cert-dir holds the federation's ca.crt and that the coordinator certificate"
                    + " names the address you dial (issue it with --san HOST)";
        }
        return Optional.ofNullable(reason);
    }

    private static String notYetValidReason(String who, CertLayout.Bundle bundle) {
        return "the coordinator refused " + who + ": the certificate is not valid yet" + validity(bundle)
                + " (check the clock on this machine and the coordinator's, or wait until it starts)";
    }

    private static String identity(CertLayout.Bundle bundle) {
        X509Certificate c = own(bundle);
        return c == null ? "this node's certificate" : "certificate '" + TrustPolicy.commonName(c) + "'";
    }

    private static String validity(CertLayout.Bundle bundle) {
        X509Certificate c = own(bundle);
        return c == null
                ? ""
                : " (valid " + c.getNotBefore().toInstant() + " to "
                        + c.getNotAfter().toInstant() + ")";
    }

    private static String issuer(CertLayout.Bundle bundle) {
        X509Certificate c = own(bundle);
        return c == null
                ? ""
                : " (it names issuer '"
                        + TrustPolicy.commonNameOf(c.getIssuerX500Principal().getName()) + "')";
    }

    private static boolean notYetValid(CertLayout.Bundle bundle) {
        X509Certificate c = own(bundle);
        return c != null && c.getNotBefore().toInstant().isAfter(Instant.now());
    }

    private static X509Certificate own(CertLayout.Bundle bundle) {
        if (bundle == null) {
            return null;
        }
        try {
            return Pem.readCertificate(bundle.cert());
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String chainText(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getClass().getSimpleName())
                    .append(": ")
                    .append(c.getMessage())
                    .append('\n');
        }
        return sb.toString();
    }

    private static String firstLine(String text) {
        String[] lines = text.split("\n");
        String last = lines[lines.length - 1];
        return last.length() > 160 ? last.substring(0, 160) + "..." : last;
    }
}
