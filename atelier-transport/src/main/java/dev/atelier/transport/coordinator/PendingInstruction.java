package dev.atelier.transport.coordinator;

import com.google.protobuf.ByteString;
import dev.atelier.core.message.Instruction;
import dev.atelier.transport.proto.InstructionHeader;
import dev.atelier.transport.wire.PayloadFile;

/**
 * One instruction of the open round and where it stands. State changes go through the owning
 * {@link RoundBook}, which holds the lock.
 */
final class PendingInstruction {
    enum State {
        /** Waiting for the node to pull it. */
        QUEUED,
        /** Streaming to the node. */
        SENDING,
        /** Delivered; the node is working on it. */
        SENT,
        /** A verified reply is being validated and aggregated. */
        DELIVERING,
        /** Has its outcome (reply or failure). */
        DONE
    }

    final Instruction instruction;
    final String id;
    final PayloadFile payload;
    final RoundBook round;
    State state = State.QUEUED;
    UploadSession upload;

    PendingInstruction(Instruction instruction, String id, PayloadFile payload, RoundBook round) {
        this.instruction = instruction;
        this.id = id;
        this.payload = payload;
        this.round = round;
    }

    /** The header that opens this instruction's stream to the node (task kind, config, sizes, deadline). */
    InstructionHeader header() {
        return InstructionHeader.newBuilder()
                .setInstructionId(id)
                .setRunId(instruction.runId())
                .setRound(instruction.round())
                .setTask(instruction.kind().name())
                .putAllConfig(instruction.config().values())
                .setCompactPayload(ByteString.copyFrom(instruction.payload()))
                .setParamsBytes(payload.size())
                .setDeadlineUnixMs(round.deadlineUnixMs())
                .build();
    }

    String nodeId() {
        return instruction.nodeId();
    }

    int roundNumber() {
        return instruction.round();
    }
}
