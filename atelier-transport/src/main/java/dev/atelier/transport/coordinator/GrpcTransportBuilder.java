package dev.atelier.transport.coordinator;

import dev.atelier.transport.security.TlsContexts;
import dev.atelier.transport.security.TlsRefusals;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configures a {@link GrpcTransport}. Required: {@link #setFederation}, {@link #setWorkDir} and
 * either {@link #setTls} or {@link #optInsecure} (loopback only). Not thread-safe.
 */
public final class GrpcTransportBuilder {
    private static final Logger LOG = LoggerFactory.getLogger("atelier.coordinator");
    String host = "0.0.0.0";
    int port = 7443;
    CoordinatorTls tls;
    boolean insecure;
    FederationInfo federation;
    Path workDir;
    int chunkBytes = 2 << 20;
    Duration heartbeatInterval = Duration.ofSeconds(5);
    Duration livenessTimeout;
    int maxConcurrentUploads = 4;
    int maxConcurrentDownloads = 4;
    int flowControlWindow = -1;
    long maxPayloadBytes = 64L << 30;
    Duration uploadIdleTimeout = Duration.ofSeconds(60);
    TransportListener listener = TransportListener.NONE;

    GrpcTransportBuilder() {}

    /** Address and port to listen on; port 0 picks a free one. */
    public GrpcTransportBuilder setListen(String host, int port) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        return this;
    }

    public GrpcTransportBuilder setTls(CoordinatorTls tls) {
        this.tls = tls;
        return this;
    }

    /** Plaintext without node authentication; refused unless the listen address is loopback. */
    public GrpcTransportBuilder optInsecure(boolean insecure) {
        this.insecure = insecure;
        return this;
    }

    public GrpcTransportBuilder setFederation(FederationInfo federation) {
        this.federation = federation;
        return this;
    }

    /** Where outgoing payloads and staged uploads are kept (emptied of stale uploads at start). */
    public GrpcTransportBuilder setWorkDir(Path workDir) {
        this.workDir = workDir;
        return this;
    }

    /** Chunk size in bytes (default 2 MiB). */
    public GrpcTransportBuilder optChunkBytes(int chunkBytes) {
        if (chunkBytes < 4096 || chunkBytes > (64 << 20)) {
            throw new IllegalArgumentException("chunk size must be between 4 KiB and 64 MiB, got " + chunkBytes);
        }
        this.chunkBytes = chunkBytes;
        return this;
    }

    /** How often nodes send heartbeats (default 5 s); the liveness timeout defaults to 3 of these. */
    public GrpcTransportBuilder optHeartbeat(Duration interval) {
        this.heartbeatInterval = interval;
        return this;
    }

    /** Silence after which a node is dropped from the round as DISCONNECTED. */
    public GrpcTransportBuilder optLivenessTimeout(Duration timeout) {
        this.livenessTimeout = timeout;
        return this;
    }

    /** Uploads streaming data at once (default 4); others wait after their header. */
    public GrpcTransportBuilder optMaxConcurrentUploads(int n) {
        this.maxConcurrentUploads = n;
        return this;
    }

    /**
     * HTTP/2 receive window per stream, in bytes (default: four chunks). Bounds what an admitted
     * upload can send ahead of what the coordinator has consumed.
     */
    public GrpcTransportBuilder optFlowControlWindow(int bytes) {
        if (bytes < 65_535) {
            throw new IllegalArgumentException("flow control window must be at least 64 KiB, got " + bytes);
        }
        this.flowControlWindow = bytes;
        return this;
    }

    /** Instruction streams sending data at once (default 4); other nodes wait for their turn. */
    public GrpcTransportBuilder optMaxConcurrentDownloads(int n) {
        this.maxConcurrentDownloads = n;
        return this;
    }

    /** Largest reply payload accepted, in bytes (default 64 GiB). */
    public GrpcTransportBuilder optMaxPayloadBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("max payload bytes must be >= 0, got " + bytes);
        }
        this.maxPayloadBytes = bytes;
        return this;
    }

    /**
     * Longest an admitted upload may go without a frame before it is aborted, its slot released
     * and the node told why (default 60 s: a 2 MiB chunk needs under 300 kbit/s to make it). The
     * instruction stays open, so the node may push again before the round deadline.
     */
    public GrpcTransportBuilder optUploadIdleTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("upload idle timeout must be positive, got " + timeout);
        }
        this.uploadIdleTimeout = timeout;
        return this;
    }

    public GrpcTransportBuilder optListener(TransportListener listener) {
        this.listener = Objects.requireNonNull(listener);
        return this;
    }

    public GrpcTransport build() {
        Objects.requireNonNull(federation, "federation info");
        Objects.requireNonNull(workDir, "work dir");
        if (tls == null && !insecure) {
            throw new IllegalArgumentException(
                    "the coordinator needs TLS certificates (cert dir) or --insecure for a loopback demo");
        }
        if (tls != null && insecure) {
            throw new IllegalArgumentException("choose either TLS certificates or --insecure, not both");
        }
        if (insecure && !isLoopback(host)) {
            throw new IllegalArgumentException(
                    "--insecure is only allowed on a loopback address (127.0.0.1 or ::1), not on '" + host
                            + "': without TLS anyone could join or read the model");
        }
        if (livenessTimeout == null) {
            livenessTimeout = heartbeatInterval.multipliedBy(3);
        }
        return new GrpcTransport(this);
    }

    Server buildServer(FederationService service) throws IOException {
        Files.createDirectories(workDir.resolve("staging"));
        try (Stream<Path> stale = Files.list(workDir.resolve("staging"))) {
            for (Path p : stale.toList()) {
                Files.deleteIfExists(p);
            }
        }
        TlsRefusals refusals = new TlsRefusals(listener::onTlsRefused);
        InetSocketAddress address = new InetSocketAddress(host, port);
        NettyServerBuilder b = tls == null
                ? NettyServerBuilder.forAddress(address)
                : NettyServerBuilder.forAddress(
                        address,
                        HandshakeWatch.credentials(TlsContexts.server(tls.own(), tls.policy(), refusals), refusals));
        b.maxInboundMessageSize(chunkBytes + (1 << 20))
                .flowControlWindow(Integer.getInteger(
                        "atelier.flowWindow", flowControlWindow > 0 ? flowControlWindow : 4 * chunkBytes))
                .permitKeepAliveTime(5, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .keepAliveTime(30, TimeUnit.SECONDS)
                .keepAliveTimeout(20, TimeUnit.SECONDS)
                .addService(ServerInterceptors.intercept(
                        service, new NodeIdentity(insecure, tls == null ? null : tls.policy(), refusals)));
        if (tls == null) {
            LOG.warn("""

                    ************************************************************************
                    *  INSECURE MODE: no TLS, no node authentication. Nodes name themselves *
                    *  and traffic is plaintext. Only for loopback demos, never a network.  *
                    ************************************************************************""");
        }
        return b.build();
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }
}
