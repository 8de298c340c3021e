package dev.atelier.transport.node;

import com.google.protobuf.MessageLite;
import dev.atelier.core.transport.SentMessage;
import dev.atelier.core.transport.WireLedger.PayloadKind;
import dev.atelier.transport.proto.FederationGrpc;
import dev.atelier.transport.proto.InstructionFrame;
import dev.atelier.transport.proto.RegisterResponse;
import dev.atelier.transport.proto.ReplyFrame;
import dev.atelier.transport.wire.WireSizes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Counts every message this node hands to gRPC, by its serialised size, and tells the
 * {@link OutboundLedger}. An upload ({@code PushReply}) is split the way the coordinator's wire
 * audit splits it: chunk data is {@code PARAMETERS}, header metrics {@code METRICS} (by
 * {@link WireSizes}), the header's compact payload {@code COMPACT}, and every other byte of the
 * frames {@code CONTROL}; its tensor names come from the payload bytes ({@link PayloadNames}).
 * Registration is {@code CONTROL}; heartbeats and pulls are {@code CONTROL} summed per round.
 * Responses are only read for the node id (registration) and the current round (instruction
 * headers). Sizes are protobuf bytes; gRPC's 5-byte message prefix, HTTP/2 and TLS framing are
 * not counted (neither side's audit counts them). Thread-safe.
 */
final class OutboundCounter implements ClientInterceptor {
    private final OutboundLedger ledger;
    private volatile String nodeId;
    private volatile int round;

    /** @param nodeId the node's name until the coordinator confirms it, or "" when not known */
    OutboundCounter(OutboundLedger ledger, String nodeId) {
        this.ledger = ledger;
        this.nodeId = nodeId;
    }

    @Override
    public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
        String name = method.getBareMethodName();
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            private final Tally tally = new Tally();

            @Override
            public void start(Listener<A> responses, Metadata headers) {
                super.start(
                        new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(responses) {
                            @Override
                            public void onMessage(A message) {
                                observe(message);
                                super.onMessage(message);
                            }

                            @Override
                            public void onClose(Status status, Metadata trailers) {
                                finish(name, tally);
                                super.onClose(status, trailers);
                            }
                        },
                        headers);
            }

            @Override
            public void sendMessage(Q message) {
                tally.add(message);
                super.sendMessage(message);
            }
        };
    }

    private void observe(Object message) {
        if (message instanceof RegisterResponse r && !r.getNodeId().isEmpty()) {
            nodeId = r.getNodeId();
        } else if (message instanceof InstructionFrame f && f.hasHeader()) {
            round = f.getHeader().getRound();
            ledger.roundStarted(nodeId, round);
        }
    }

    private void finish(String method, Tally t) {
        if (t.messages == 0) {
            return;
        }
        String push = FederationGrpc.getPushReplyMethod().getBareMethodName();
        String register = FederationGrpc.getRegisterMethod().getBareMethodName();
        if (method.equals(push)) {
            ledger.record(new SentMessage(
                    nodeId, t.round, SentMessage.PUSH_REPLY, t.messages, t.kinds(), t.names.tensors(), t.sentMetrics));
        } else if (method.equals(register)) {
            ledger.record(new SentMessage(nodeId, 0, SentMessage.REGISTER, t.messages, t.kinds(), List.of(), Map.of()));
        } else {
            ledger.control(nodeId, round, t.messages, t.total);
        }
    }

    /** What one call sent. Guarded by the call (gRPC calls are not used concurrently). */
    private static final class Tally {
        final PayloadNames names = new PayloadNames();
        int messages;
        int round;
        long total;
        long params;
        long metrics;
        long compact;
        Map<String, Double> sentMetrics = Map.of();

        synchronized void add(Object message) {
            messages++;
            total += ((MessageLite) message).getSerializedSize();
            if (message instanceof ReplyFrame f) {
                if (f.hasHeader()) {
                    round = f.getHeader().getRound();
                    sentMetrics = f.getHeader().getMetricsMap();
                    metrics += WireSizes.metricBytes(sentMetrics);
                    compact += f.getHeader().getCompactPayload().size();
                } else if (f.hasChunk()) {
                    params += f.getChunk().getData().size();
                    names.feed(f.getChunk().getData());
                }
            }
        }

        synchronized Map<PayloadKind, Long> kinds() {
            Map<PayloadKind, Long> m = new EnumMap<>(PayloadKind.class);
            m.put(PayloadKind.PARAMETERS, params);
            m.put(PayloadKind.METRICS, metrics);
            m.put(PayloadKind.COMPACT, compact);
            m.put(PayloadKind.CONTROL, Math.max(0, total - params - metrics - compact));
            return m;
        }
    }
}
