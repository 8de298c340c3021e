package dev.atelier.transport.coordinator;

import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.transport.WireLedger.Direction;
import dev.atelier.core.transport.WireLedger.PayloadKind;
import dev.atelier.transport.proto.FederationGrpc;
import dev.atelier.transport.proto.HeartbeatRequest;
import dev.atelier.transport.proto.HeartbeatResponse;
import dev.atelier.transport.proto.InstructionFrame;
import dev.atelier.transport.proto.PullRequest;
import dev.atelier.transport.proto.PushEvent;
import dev.atelier.transport.proto.RegisterRequest;
import dev.atelier.transport.proto.RegisterResponse;
import dev.atelier.transport.proto.ReplyFrame;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The gRPC handlers; identity comes from {@link NodeIdentity}. Thread-safe. */
final class FederationService extends FederationGrpc.FederationImplBase {
    /** Protocol version this coordinator speaks. */
    static final int PROTOCOL_VERSION = 1;

    private static final Logger LOG = LoggerFactory.getLogger("atelier.coordinator");
    private static final long MAX_WAIT_MS = 60_000;
    private final HandlerContext ctx;

    FederationService(HandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void register(RegisterRequest req, StreamObserver<RegisterResponse> out) {
        String node = NodeIdentity.current();
        FederationInfo fed = ctx.federation();
        if (req.getProtocolVersion() != PROTOCOL_VERSION) {
            out.onError(Status.FAILED_PRECONDITION
                    .withDescription("node speaks protocol v" + req.getProtocolVersion()
                            + " but this coordinator speaks v" + PROTOCOL_VERSION + " — upgrade the older side")
                    .asRuntimeException());
            return;
        }
        if (!req.getWorkload().isEmpty() && !req.getWorkload().equals(fed.workload())) {
            LOG.warn(
                    "node {} refused: it runs workload '{}' but run {} uses '{}'",
                    node,
                    req.getWorkload(),
                    fed.runId(),
                    fed.workload());
            out.onError(Status.FAILED_PRECONDITION
                    .withDescription("this coordinator runs workload '" + fed.workload()
                            + "' but the node was started with --workload " + req.getWorkload())
                    .asRuntimeException());
            return;
        }
        if (ctx.directory().runComplete()) {
            out.onError(Status.FAILED_PRECONDITION
                    .withDescription(FederationInfo.RUN_COMPLETE_REFUSAL + " run " + fed.runId()
                            + " has finished its last round; nothing left to do")
                    .asRuntimeException());
            return;
        }
        NodeSession s = ctx.directory().session(node);
        boolean again = s.registered();
        s.register(req.getPropertiesMap(), NodeIdentity.peer());
        ctx.wire().record(node, 0, Direction.FROM_NODE, PayloadKind.CONTROL, req.getSerializedSize());
        LOG.info(
                "node {} {} from {} ({} properties)",
                node,
                again ? "re-registered" : "registered",
                NodeIdentity.peer(),
                req.getPropertiesCount());
        ctx.listener().onNodeRegistered(new NodeInfo(node, req.getPropertiesMap()), NodeIdentity.peer());
        ctx.rounds().requeueSent(node);
        ctx.directory().signal();
        out.onNext(RegisterResponse.newBuilder()
                .setNodeId(node)
                .setRunId(fed.runId())
                .setWorkload(fed.workload())
                .putAllWorkloadConfig(fed.workloadConfig())
                .setHeartbeatIntervalMs((int) ctx.limits().heartbeatInterval().toMillis())
                .setChunkBytes(ctx.limits().chunkBytes())
                .setMaxPayloadBytes(ctx.limits().maxPayloadBytes())
                .build());
        out.onCompleted();
    }

    @Override
    public void heartbeat(HeartbeatRequest req, StreamObserver<HeartbeatResponse> out) {
        String node = NodeIdentity.current();
        NodeSession s = ctx.directory().registered(node);
        if (s != null) {
            s.touch();
        }
        boolean complete = ctx.directory().runComplete();
        if (complete && s != null) {
            ctx.directory().toldComplete(node);
        }
        out.onNext(HeartbeatResponse.newBuilder()
                .setRegistered(s != null)
                .setRunComplete(complete)
                .build());
        out.onCompleted();
    }

    @Override
    public void pullInstruction(PullRequest req, StreamObserver<InstructionFrame> out) {
        String node = NodeIdentity.current();
        NodeSession s = ctx.directory().registered(node);
        if (s == null) {
            out.onError(Status.FAILED_PRECONDITION
                    .withDescription("node " + node
                            + " is not registered with this coordinator (it restarted?) — register first")
                    .asRuntimeException());
            return;
        }
        s.touch();
        long wait = Math.min(Integer.toUnsignedLong(req.getWaitMs()), MAX_WAIT_MS); // uint32 on the wire
        new PullCall(ctx, s, (ServerCallStreamObserver<InstructionFrame>) out).start(wait);
    }

    @Override
    public StreamObserver<ReplyFrame> pushReply(StreamObserver<PushEvent> out) {
        String node = NodeIdentity.current();
        ctx.directory().touch(node);
        return new UploadSession(ctx, node, (ServerCallStreamObserver<PushEvent>) out);
    }
}
