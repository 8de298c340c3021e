package dev.atelier.transport.coordinator;

import java.util.concurrent.ScheduledExecutorService;

/**
 * Everything the gRPC call handlers ({@link FederationService}, {@link PullCall},
 * {@link UploadSession}) use, handed to them once by {@link GrpcTransport} instead of a set of
 * accessors on the transport. Every component is thread-safe.
 *
 * @param federation what registering nodes are told about the run
 * @param directory  registered nodes and their liveness
 * @param rounds     the open round's instructions and recently closed ones
 * @param delivery   turns a committed upload into a reply for the run
 * @param wire       byte ledger of everything sent and received
 * @param uploads    admission of reply streams
 * @param downloads  admission of instruction streams
 * @param scheduler  the transport's timer thread (long-poll windows)
 * @param listener   observer of transport events
 * @param limits     chunk size, payload limits, heartbeat interval, staging folder
 */
record HandlerContext(
        FederationInfo federation,
        NodeDirectory directory,
        OpenRounds rounds,
        ReplyDelivery delivery,
        AuditedLedger wire,
        AdmissionGate uploads,
        AdmissionGate downloads,
        ScheduledExecutorService scheduler,
        TransportListener listener,
        WireLimits limits) {}
