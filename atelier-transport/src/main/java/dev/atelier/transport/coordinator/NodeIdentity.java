package dev.atelier.transport.coordinator;

import dev.atelier.transport.security.TlsRefusal;
import dev.atelier.transport.security.TlsRefusals;
import dev.atelier.transport.security.TrustPolicy;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.regex.Pattern;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Establishes who is calling: the CN of the verified TLS client certificate, or, only when the
 * coordinator runs {@code --insecure}, the {@code atelier-node-id} request header. Calls without
 * an identity are refused with UNAUTHENTICATED. Under TLS every call re-checks the session's
 * certificate against the {@link TrustPolicy}, so a certificate revoked (or dropped from the
 * allowlist, or expired) while its node is connected is refused with PERMISSION_DENIED from the
 * node's next call on: revocation cuts live sessions, not only new handshakes. Thread-safe.
 */
final class NodeIdentity implements ServerInterceptor {
    /** Header naming the node in insecure (loopback demo) mode; ignored under TLS. */
    static final Metadata.Key<String> INSECURE_NODE_HEADER =
            Metadata.Key.of("atelier-node-id", Metadata.ASCII_STRING_MARSHALLER);

    static final Context.Key<String> NODE_ID = Context.key("atelier.node-id");
    static final Context.Key<String> PEER = Context.key("atelier.peer");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private final boolean insecure;
    private final TrustPolicy policy;
    private final TlsRefusals refusals;

    /**
     * @param policy   re-checked on every call under TLS; null in insecure mode
     * @param refusals told whenever a connected node's certificate is refused
     */
    NodeIdentity(boolean insecure, TrustPolicy policy, TlsRefusals refusals) {
        this.insecure = insecure;
        this.policy = policy;
        this.refusals = refusals;
    }

    /** The calling node (inside a call). */
    static String current() {
        return NODE_ID.get();
    }

    static String peer() {
        String p = PEER.get();
        return p == null ? "?" : p;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String id = null;
        SSLSession ssl = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        if (ssl != null) {
            try {
                Certificate[] peer = ssl.getPeerCertificates();
                if (peer.length > 0 && peer[0] instanceof X509Certificate leaf) {
                    TlsRefusal refused = policy == null ? null : policy.refusal(new X509Certificate[] {leaf});
                    if (refused != null) {
                        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
                        refusals.refusedConnected(
                                remote instanceof InetSocketAddress i && i.getAddress() != null
                                        ? i.getAddress().getHostAddress()
                                        : String.valueOf(remote),
                                String.valueOf(remote),
                                refused);
                        call.close(Status.PERMISSION_DENIED.withDescription(refused.detail()), new Metadata());
                        return new ServerCall.Listener<>() {};
                    }
                    id = TrustPolicy.commonName(leaf);
                }
            } catch (SSLPeerUnverifiedException e) {
                id = null;
            }
        } else if (insecure) {
            String h = headers.get(INSECURE_NODE_HEADER);
            if (h != null && NAME.matcher(h).matches()) {
                id = h;
            }
        }
        if (id == null) {
            call.close(
                    Status.UNAUTHENTICATED.withDescription(
                            insecure
                                    ? "missing or malformed atelier-node-id header (insecure mode names nodes by header)"
                                    : "no verified client certificate"),
                    new Metadata());
            return new ServerCall.Listener<>() {};
        }
        Object addr = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        Context ctx = Context.current().withValue(NODE_ID, id).withValue(PEER, String.valueOf(addr));
        return Contexts.interceptCall(ctx, call, headers, next);
    }
}
