package dev.atelier.transport.security;

import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSslCertificateException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateNotYetValidException;

/**
 * Chooses the TLS alert a refused node receives, so it can tell why it was refused:
 * <ul>
 *   <li>no certificate → {@code certificate_required} (TLS 1.3) or {@code handshake_failure};</li>
 *   <li>another CA → {@code unknown_ca};</li>
 *   <li>expired → {@code certificate_expired}; revoked → {@code certificate_revoked};</li>
 *   <li>not on the allowlist, or not yet valid → {@code bad_certificate};</li>
 *   <li>not a client-authentication certificate → {@code unsupported_certificate}.</li>
 * </ul>
 * The OpenSSL engine (the default in grpc-netty-shaded) maps X.509 verification codes to these
 * alerts (BoringSSL sends {@code certificate_expired} for "not yet valid" as well); the JDK
 * engine sends {@code certificate_unknown} for the codes it does not know.
 * {@link RefusalDiagnosis} decodes them on the node.
 */
final class TlsAlerts {
    // OpenSSL X509_V_ERR_* codes (x509_vfy.h); stable across OpenSSL and BoringSSL.
    private static final int CERT_NOT_YET_VALID = 9;
    private static final int UNABLE_TO_GET_ISSUER_CERT_LOCALLY = 20;
    private static final int INVALID_PURPOSE = 26;
    private static final int CERT_REJECTED = 28;

    private TlsAlerts() {}

    static CertificateException forRefusal(CertificateException e) {
        int code;
        if (e instanceof TrustPolicy.UnknownIssuerException) {
            code = UNABLE_TO_GET_ISSUER_CERT_LOCALLY;
        } else if (e instanceof TrustPolicy.NotAllowedException) {
            code = CERT_REJECTED;
        } else if (e instanceof TrustPolicy.WrongPurposeException) {
            code = INVALID_PURPOSE;
        } else if (e instanceof CertificateNotYetValidException) {
            code = CERT_NOT_YET_VALID;
        } else {
            return e;
        }
        return new OpenSslCertificateException(e.getMessage(), e, code);
    }
}
