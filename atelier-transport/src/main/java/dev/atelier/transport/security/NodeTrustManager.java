package dev.atelier.transport.security;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The coordinator's TLS trust manager: every client certificate must pass the
 * {@link TrustPolicy} (federation CA, validity, client-auth usage, revocation, allowlist). A
 * refusal is reported to {@code onRefusal} with its reason (the coordinator logs it) and fails
 * the handshake with an alert the node can decode. Thread-safe.
 */
public final class NodeTrustManager extends X509ExtendedTrustManager {
    private final TrustPolicy policy;
    private final Consumer<String> onRefusal;

    public NodeTrustManager(TrustPolicy policy, Consumer<String> onRefusal) {
        this.policy = policy;
        this.onRefusal = onRefusal;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            policy.verify(chain);
        } catch (CertificateException e) {
            String reason = policy.explain(chain);
            onRefusal.accept(reason == null ? e.getMessage() : reason);
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
        checkClientTrusted(chain, authType);
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
