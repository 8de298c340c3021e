package dev.atelier.transport.security;

import dev.atelier.core.util.UntrustedText;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place the coordinator counts and logs every refused node connection: certificates the
 * {@link NodeTrustManager} refuses, handshakes the TLS engine refuses before any trust manager
 * runs (no client certificate, not TLS, too slow; seen by the handshake watcher the gRPC server
 * installs), and connected nodes whose certificate is refused later ({@code NodeIdentity}).
 *
 * <p>Every refusal goes to {@code counter} (for {@code atelier_tls_refusals_total{reason}}). The
 * log gets at most one line per peer host per {@code interval}; the next line logged for that
 * host says how many were left out. The detail is escaped ({@link UntrustedText#reason}), so a
 * client cannot forge log lines. At most {@value #MAX_PEERS} hosts are remembered; beyond that
 * all new hosts share one limit. A client that closes the connection before finishing the
 * handshake (TCP probes, port scans) is not a refusal and is neither counted nor logged.
 *
 * <p>Thread-safe (called from netty event loops and gRPC threads).
 */
public final class TlsRefusals {
    static final int MAX_PEERS = 4096;
    private static final String OTHER_PEERS = "(other peers)";
    private static final Logger LOG = LoggerFactory.getLogger("atelier.coordinator");

    private final Consumer<TlsRefusal> counter;
    private final Consumer<String> log;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    /** Refusals by the trust manager, until the handshake watcher of that engine reports them. */
    private final Map<SSLEngine, TlsRefusal> pending = Collections.synchronizedMap(new WeakHashMap<>());

    private final Map<String, Window> windows = new HashMap<>();

    private static final class Window {
        long startNanos;
        long suppressed;
    }

    /** Counts into {@code counter} and logs to the coordinator log, one line per host per minute. */
    public TlsRefusals(Consumer<TlsRefusal> counter) {
        this(counter, line -> LOG.warn("{}", line), Duration.ofMinutes(1), System::nanoTime);
    }

    /** For tests: where log lines go, the per-host interval and the clock. */
    TlsRefusals(Consumer<TlsRefusal> counter, Consumer<String> log, Duration interval, LongSupplier nanoClock) {
        this.counter = counter;
        this.log = log;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
    }

    /**
     * The trust manager refused the certificate of the handshake on {@code engine}; reported when
     * that handshake's failure is seen ({@link #handshakeFailed}). Without an engine, at once.
     */
    void refusedByPolicy(SSLEngine engine, TlsRefusal refusal) {
        if (engine == null) {
            report("?", "?", refusal, "at the TLS handshake");
        } else {
            pending.put(engine, refusal);
        }
    }

    /**
     * The handshake on {@code engine} with {@code peer} failed with {@code cause}: the trust
     * manager's reason if it refused the certificate, otherwise the cause classified
     * ({@link TlsRefusal#ofHandshakeFailure}).
     *
     * @param peerHost the client's IP address (the log limit's key)
     * @param peer     the client's address with port, for the log
     */
    public void handshakeFailed(SSLEngine engine, String peerHost, String peer, Throwable cause) {
        TlsRefusal byPolicy = engine == null ? null : pending.remove(engine);
        if (byPolicy != null) {
            report(peerHost, peer, byPolicy, "at the TLS handshake");
        } else if (!closedByClient(cause)) {
            report(peerHost, peer, TlsRefusal.ofHandshakeFailure(cause), "at the TLS handshake");
        }
    }

    /** A connected node's certificate is refused now (revoked, dropped from the allowlist, expired). */
    public void refusedConnected(String peerHost, String peer, TlsRefusal refusal) {
        report(peerHost, peer, refusal, "(already connected)");
    }

    private void report(String peerHost, String peer, TlsRefusal refusal, String where) {
        counter.accept(refusal);
        long left = admit(peerHost == null ? "?" : peerHost);
        if (left < 0) {
            return;
        }
        log.accept("refused a node " + where + " (" + refusal.reason().label() + ", from "
                + UntrustedText.reason(peer) + "): " + UntrustedText.reason(refusal.detail())
                + (left > 0
                        ? " (" + left + " more refusals from this host in the last interval were not logged)"
                        : ""));
    }

    /** -1 when this line is to be left out, else how many lines for the host were left out before it. */
    private synchronized long admit(String host) {
        long now = nanoClock.getAsLong();
        Window w = windows.get(host);
        if (w == null && windows.size() >= MAX_PEERS) {
            windows.values().removeIf(x -> now - x.startNanos >= intervalNanos);
            if (windows.size() >= MAX_PEERS) {
                host = OTHER_PEERS;
                w = windows.get(host);
            }
        }
        if (w == null) {
            w = new Window();
            w.startNanos = now;
            windows.put(host, w);
            return 0;
        }
        if (now - w.startNanos < intervalNanos) {
            w.suppressed++;
            return -1;
        }
        long left = w.suppressed;
        w.startNanos = now;
        w.suppressed = 0;
        return left;
    }

    /** The client hung up before the handshake finished without a TLS failure of its own. */
    private static boolean closedByClient(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ClosedChannelException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && m.contains("Connection closed while SSL/TLS handshake was in progress")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
