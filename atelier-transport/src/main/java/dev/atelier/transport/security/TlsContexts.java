package dev.atelier.transport.security;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.IOException;

/**
 * Builds the TLS contexts of both sides: TLS 1.3/1.2 only, mutual authentication required.
 */
public final class TlsContexts {
    private TlsContexts() {}

    /**
     * The coordinator's context: presents {@code own} (cert.pem/key.pem of a COORDINATOR bundle)
     * and requires a client certificate accepted by {@code policy}. A key that does not match its
     * certificate is an IllegalArgumentException naming both files (here and in {@link #client}).
     *
     * @param refusals told of every certificate the policy refuses
     */
    public static SslContext server(CertLayout.Bundle own, TrustPolicy policy, TlsRefusals refusals)
            throws IOException {
        var cert = Pem.readCertificate(own.cert());
        var key = Pem.readPrivateKey(own.key());
        KeyCertMatch.check(key, cert, own.key(), own.cert());
        return GrpcSslContexts.configure(io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder.forServer(
                        new FixedKeyManager(key, cert)))
                .trustManager(new NodeTrustManager(policy, refusals))
                .clientAuth(ClientAuth.REQUIRE)
                .protocols("TLSv1.3", "TLSv1.2")
                .build();
    }

    /**
     * A node's context: trusts only the federation CA in the bundle and presents the bundle's
     * certificate.
     */
    public static SslContext client(CertLayout.Bundle own) throws IOException {
        var cert = Pem.readCertificate(own.cert());
        var key = Pem.readPrivateKey(own.key());
        KeyCertMatch.check(key, cert, own.key(), own.cert());
        return GrpcSslContexts.forClient()
                .trustManager(Pem.readCertificate(own.caCert()))
                .keyManager(new FixedKeyManager(key, cert))
                .protocols("TLSv1.3", "TLSv1.2")
                .build();
    }

    /** A client context that presents no certificate (only for tests of refusal). */
    public static SslContext clientWithoutCertificate(java.nio.file.Path caCert) throws IOException {
        return GrpcSslContexts.forClient()
                .trustManager(Pem.readCertificate(caCert))
                .protocols("TLSv1.3", "TLSv1.2")
                .build();
    }
}
