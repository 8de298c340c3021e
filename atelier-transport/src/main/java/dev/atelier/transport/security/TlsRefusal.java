package dev.atelier.transport.security;

import io.grpc.netty.shaded.io.netty.handler.ssl.NotSslRecordException;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateRevokedException;
import java.util.Locale;
import java.util.Objects;

/**
 * Why the coordinator refused a connection at (or after) the TLS handshake: a {@link Reason},
 * the label of {@code atelier_tls_refusals_total{reason=...}}, and a one-line detail for the log.
 *
 * @param reason what kind of refusal
 * @param detail one line naming the certificate or the failure; not yet escaped (the log escapes it)
 */
public record TlsRefusal(Reason reason, String detail) {
    public TlsRefusal {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    /** Refusal kinds; {@link #label()} is the metric label. */
    public enum Reason {
        /** Issued or signed by another CA. */
        OTHER_CA,
        EXPIRED,
        NOT_YET_VALID,
        REVOKED,
        /** Not a client-authentication certificate. */
        WRONG_PURPOSE,
        /** Its name is not on the allowlist. */
        NOT_ALLOWLISTED,
        /** The client sent no certificate (refused by the TLS engine, before the trust manager runs). */
        MISSING_CERTIFICATE,
        /** The bytes were not TLS (plaintext HTTP/2, HTTP/1.1, garbage). */
        NOT_TLS,
        /** The client did not finish the handshake in time. */
        HANDSHAKE_TIMEOUT,
        /**
         * The client ended the handshake with an alert: usually a node that does not trust the
         * coordinator's certificate (its log says so).
         */
        CLIENT_ALERT,
        /** Any other handshake failure (no common protocol or cipher, a malformed message). */
        HANDSHAKE_FAILED;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** The kind of a {@link TrustPolicy#verify} refusal. */
    static Reason of(CertificateException e) {
        if (e instanceof TrustPolicy.UnknownIssuerException) {
            return Reason.OTHER_CA;
        } else if (e instanceof CertificateExpiredException) {
            return Reason.EXPIRED;
        } else if (e instanceof CertificateNotYetValidException) {
            return Reason.NOT_YET_VALID;
        } else if (e instanceof CertificateRevokedException) {
            return Reason.REVOKED;
        } else if (e instanceof TrustPolicy.WrongPurposeException) {
            return Reason.WRONG_PURPOSE;
        } else if (e instanceof TrustPolicy.NotAllowedException) {
            return Reason.NOT_ALLOWLISTED;
        }
        return Reason.HANDSHAKE_FAILED;
    }

    /**
     * Classifies a failed handshake the trust manager did not see. BoringSSL (netty's OpenSSL
     * engine, the default) says {@code PEER_DID_NOT_RETURN_A_CERTIFICATE}; the JDK engine says
     * "Empty client certificate chain" (TLS 1.3: "certificate_required").
     */
    public static TlsRefusal ofHandshakeFailure(Throwable cause) {
        String text = describe(cause);
        String lower = text.toLowerCase(Locale.ROOT);
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof NotSslRecordException) {
                return new TlsRefusal(Reason.NOT_TLS, "not a TLS connection (plaintext or garbage bytes)");
            }
            if (t instanceof SslHandshakeTimeoutException) {
                return new TlsRefusal(Reason.HANDSHAKE_TIMEOUT, "the TLS handshake did not finish in time");
            }
        }
        if (lower.contains("peer_did_not_return_a_certificate")
                || lower.contains("empty client certificate chain")
                || lower.contains("certificate_required")) {
            return new TlsRefusal(
                    Reason.MISSING_CERTIFICATE,
                    "the client presented no certificate (every node needs one issued by the federation CA)");
        }
        if (lower.contains("tlsv1_alert_")
                || lower.contains("sslv3_alert_")
                || lower.contains("received fatal alert")) {
            return new TlsRefusal(Reason.CLIENT_ALERT, "the client ended the TLS handshake with an alert: " + text);
        }
        return new TlsRefusal(Reason.HANDSHAKE_FAILED, "TLS handshake failed: " + text);
    }

    private static String describe(Throwable cause) {
        StringBuilder s = new StringBuilder();
        for (Throwable t = cause; t != null && s.length() < 400; t = t.getCause()) {
            if (!s.isEmpty()) {
                s.append(" <- ");
            }
            s.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                s.append(": ").append(t.getMessage());
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return s.toString();
    }
}
