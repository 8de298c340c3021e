package dev.atelier.transport.security;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The coordinator's TLS trust manager: every client certificate must pass the
 * {@link TrustPolicy} (federation CA, validity, client-auth usage, revocation, allowlist). A
 * refusal is handed to {@link TlsRefusals} with its reason and engine (counted and logged when that
 * handshake's failure is seen) and fails the handshake with an alert the node can decode.
 * Thread-safe.
 */
public final class NodeTrustManager extends X509ExtendedTrustManager {
    private final TrustPolicy policy;
    private final TlsRefusals refusals;

    public NodeTrustManager(TrustPolicy policy, TlsRefusals refusals) {
        this.policy = policy;
        this.refusals = refusals;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, null);
    }

    private void check(X509Certificate[] chain, SSLEngine engine) throws CertificateException {
        try {
            policy.verify(chain);
        } catch (CertificateException e) {
            refusals.refusedByPolicy(engine, TrustPolicy.refusal(chain, e));
            throw TlsAlerts.forRefusal(e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the coordinator's trust manager only authenticates nodes");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[] {policy.caCertificate()};
    }
}
