package dev.atelier.transport.node;

import dev.atelier.transport.security.CertLayout;
import dev.atelier.transport.security.TlsContexts;
import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configures a {@link NodeRuntime}. Required: {@link #setCoordinator}, {@link #setWorkload},
 * {@link #setNodeFactory}, {@link #setWorkDir}, and {@link #setCertBundle} or
 * {@link #optInsecure} (loopback only). Not thread-safe.
 */
public final class NodeRuntimeBuilder {
    private static final Logger LOG = LoggerFactory.getLogger("atelier.node");
    String host;
    int port;
    CertLayout.Bundle bundle;
    String insecureName;
    String serverName;
    String workload = "";
    NodeFactory factory;
    Path workDir;
    Map<String, String> properties = Map.of();
    Duration pullWait = Duration.ofSeconds(20);
    Duration backoffInitial = Duration.ofMillis(500);
    Duration backoffMax = Duration.ofSeconds(30);
    NodeListener listener = NodeListener.NONE;
    int flowControlWindow = 8 << 20;

    NodeRuntimeBuilder() {}

    /** The coordinator address, {@code HOST:PORT}. */
    public NodeRuntimeBuilder setCoordinator(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("--coordinator must be HOST:PORT, got '" + hostPort + "'");
        }
        String h = hostPort.substring(0, colon);
        this.host = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        try {
            this.port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--coordinator port must be a number, got '" + hostPort.substring(colon + 1) + "'");
        }
        return this;
    }

    /** The node's certificate bundle (cert.pem, key.pem, ca.crt). */
    public NodeRuntimeBuilder setCertBundle(Path dir) {
        this.bundle = new CertLayout.Bundle(dir);
        return this;
    }

    /** Plaintext, naming itself {@code nodeName}; refused unless the coordinator is on loopback. */
    public NodeRuntimeBuilder optInsecure(String nodeName) {
        this.insecureName = nodeName;
        return this;
    }

    /** Expected name in the coordinator's certificate when it differs from the dialled host. */
    public NodeRuntimeBuilder optServerName(String name) {
        this.serverName = name;
        return this;
    }

    public NodeRuntimeBuilder setWorkload(String workload) {
        this.workload = Objects.requireNonNull(workload);
        return this;
    }

    public NodeRuntimeBuilder setNodeFactory(NodeFactory factory) {
        this.factory = factory;
        return this;
    }

    /** Node-local scratch space for incoming and outgoing payload files. */
    public NodeRuntimeBuilder setWorkDir(Path dir) {
        this.workDir = dir;
        return this;
    }

    /** Self-declared facts sent at registration (memory budget, dataset size...). */
    public NodeRuntimeBuilder optProperties(Map<String, String> properties) {
        this.properties = Map.copyOf(properties);
        return this;
    }

    /** Long-poll window (default 20 s). */
    public NodeRuntimeBuilder optPullWait(Duration wait) {
        this.pullWait = wait;
        return this;
    }

    /** Reconnect backoff bounds (default 0.5 s doubling to 30 s). */
    public NodeRuntimeBuilder optBackoff(Duration initial, Duration max) {
        this.backoffInitial = initial;
        this.backoffMax = max;
        return this;
    }

    /** HTTP/2 receive window per stream, in bytes (default 8 MiB): how far the coordinator may send ahead. */
    public NodeRuntimeBuilder optFlowControlWindow(int bytes) {
        if (bytes < 65_535) {
            throw new IllegalArgumentException("flow control window must be at least 64 KiB, got " + bytes);
        }
        this.flowControlWindow = bytes;
        return this;
    }

    public NodeRuntimeBuilder optListener(NodeListener listener) {
        this.listener = Objects.requireNonNull(listener);
        return this;
    }

    String target() {
        return host + ":" + port;
    }

    public NodeRuntime build() throws IOException {
        Objects.requireNonNull(host, "coordinator address");
        Objects.requireNonNull(factory, "node factory");
        Objects.requireNonNull(workDir, "work dir");
        if (bundle == null && insecureName == null) {
            throw new IllegalArgumentException(
                    "a node needs --cert-dir (its certificate bundle), or --insecure for a loopback demo");
        }
        NettyChannelBuilder b = NettyChannelBuilder.forAddress(host, port)
                .maxInboundMessageSize((64 << 20) + (1 << 20))
                .flowControlWindow(Integer.getInteger("atelier.flowWindow", flowControlWindow))
                .keepAliveTime(20, TimeUnit.SECONDS)
                .keepAliveTimeout(10, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(true)
                // the node's own record of every byte it sends (outbound.jsonl in the work dir)
                .intercept(new OutboundCounter(
                        new OutboundLedger(workDir, listener), insecureName == null ? "" : insecureName));
        if (insecureName != null) {
            if (!InetAddress.getByName(host).isLoopbackAddress()) {
                throw new IllegalArgumentException(
                        "--insecure is only allowed with a loopback coordinator address, not '" + host + "'");
            }
            LOG.warn(
                    "INSECURE MODE: plaintext, no certificate; this node calls itself '{}'. Loopback demos only.",
                    insecureName);
            Metadata md = new Metadata();
            md.put(Metadata.Key.of("atelier-node-id", Metadata.ASCII_STRING_MARSHALLER), insecureName);
            ClientInterceptor header = MetadataUtils.newAttachHeadersInterceptor(md);
            b.usePlaintext().intercept(header);
        } else {
            b.sslContext(TlsContexts.client(bundle));
            if (serverName != null) {
                b.overrideAuthority(serverName);
            }
        }
        return new NodeRuntime(this, b.build());
    }
}
