package dev.atelier.transport.coordinator;

import dev.atelier.transport.security.TlsRefusals;
import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.shaded.io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiators;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandler;
import io.grpc.netty.shaded.io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * gRPC server credentials that are grpc's own server TLS negotiator plus a watch on every
 * handshake's outcome, so that handshakes the TLS engine refuses before any trust manager runs
 * (a client without a certificate under {@code ClientAuth.REQUIRE}, plaintext, a stalled
 * handshake) are counted and logged by {@link TlsRefusals} like the trust manager's refusals.
 *
 * <p>Why internal API: grpc-java 1.85 has no public hook on a failed server handshake. grpc's
 * {@code ServerTlsHandler} builds the {@link SslHandler} itself and consumes its
 * {@code SslHandshakeCompletionEvent}; a {@code ServerTransportFilter} only hears of transports
 * that completed the handshake; wrapping the {@code SslContext} or {@code SSLEngine} would change
 * the TLS code path of every connection (netty special-cases its OpenSSL engine). The
 * {@code @Internal} classes used here ({@link InternalNettyServerCredentials},
 * {@link InternalProtocolNegotiators#serverTls}, {@link InternalProtocolNegotiator}) are public
 * and used by grpc's own ALTS and xDS modules; the handshake itself, and so
 * {@code ClientAuth.REQUIRE}, is grpc's unchanged. {@code MutualTlsRefusalTest} pins the
 * behaviour (a client without a certificate is counted once as {@code missing-certificate}), so a
 * grpc upgrade that breaks it fails the build.
 *
 * <p>How: the handler returned for each connection adds grpc's TLS handler after itself, waits
 * until grpc has inserted its {@link SslHandler}, listens to that handler's handshake future and
 * leaves the pipeline. Thread-safe (one handler per connection; the negotiator is shared).
 */
final class HandshakeWatch implements InternalProtocolNegotiator.ProtocolNegotiator {
    private static final Logger LOG = LoggerFactory.getLogger("atelier.coordinator");
    private final InternalProtocolNegotiator.ProtocolNegotiator tls;
    private final TlsRefusals refusals;

    private HandshakeWatch(SslContext context, TlsRefusals refusals) {
        this.tls = InternalProtocolNegotiators.serverTls(context);
        this.refusals = refusals;
    }

    /** Server credentials for {@code NettyServerBuilder.forAddress(address, credentials)}. */
    static ServerCredentials credentials(SslContext context, TlsRefusals refusals) {
        return InternalNettyServerCredentials.create(new HandshakeWatch(context, refusals));
    }

    @Override
    public AsciiString scheme() {
        return tls.scheme();
    }

    @Override
    public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
        return new Installer(tls.newHandler(grpcHandler));
    }

    @Override
    public void close() {
        tls.close();
    }

    /**
     * Adds grpc's TLS handler after itself and stays until that handler's {@link SslHandler}
     * appears (grpc inserts it once the channel is active and negotiation starts, while the event
     * that triggers it passes through here), then watches its handshake and leaves.
     */
    private final class Installer extends ChannelInboundHandlerAdapter {
        private final ChannelHandler grpcTls;

        Installer(ChannelHandler grpcTls) {
            this.grpcTls = grpcTls;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.pipeline().addAfter(ctx.name(), null, grpcTls);
            watchOnce(ctx);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            super.channelActive(ctx);
            watchOnce(ctx);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            super.userEventTriggered(ctx, evt);
            watchOnce(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (!ctx.isRemoved() && ctx.pipeline().get(SslHandler.class) == null) {
                // bytes arrived and grpc has not started TLS: nothing of ours will see its outcome
                LOG.error("no SslHandler in the connection's pipeline: TLS handshake refusals are not counted"
                        + " (did a grpc upgrade change its server TLS handler?)");
                ctx.pipeline().remove(this);
            }
            super.channelRead(ctx, msg);
        }

        private void watchOnce(ChannelHandlerContext ctx) {
            if (ctx.isRemoved()) {
                return;
            }
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (ssl == null) {
                return;
            }
            SocketAddress remote = ctx.channel().remoteAddress();
            ssl.handshakeFuture().addListener(f -> {
                if (!f.isSuccess()) {
                    refusals.handshakeFailed(ssl.engine(), host(remote), String.valueOf(remote), f.cause());
                }
            });
            ctx.pipeline().remove(this);
        }
    }

    private static String host(SocketAddress a) {
        return a instanceof InetSocketAddress i && i.getAddress() != null
                ? i.getAddress().getHostAddress()
                : String.valueOf(a);
    }
}
