package dev.atelier.transport.node;

import com.google.protobuf.ByteString;
import dev.atelier.core.message.Config;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.TaskKind;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.transport.proto.FederationGrpc;
import dev.atelier.transport.proto.InstructionFrame;
import dev.atelier.transport.proto.InstructionHeader;
import dev.atelier.transport.proto.PullRequest;
import dev.atelier.transport.wire.PayloadException;
import dev.atelier.transport.wire.StagedPayload;
import io.grpc.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * One long poll: returns the next instruction, null when the coordinator answered Idle, or
 * {@link Received#RUN_COMPLETE} when it answered that the run has finished.
 * Chunks are verified and written to a staging file as they arrive (the blocking stub requests
 * one message at a time, so a slow disk slows the coordinator down instead of filling memory);
 * the parameters are then memory-mapped from the committed file.
 */
final class InstructionDownload {
    /**
     * A received instruction.
     *
     * @param header      as sent by the coordinator
     * @param instruction decoded, parameters memory-mapped
     * @param corruption  non-null when the payload failed its checks (then instruction is null)
     *     ({@link #RUN_COMPLETE}: all three null)
     */
    record Received(InstructionHeader header, Instruction instruction, String corruption) {
        /** The coordinator's answer when the run has finished: no instruction will come. */
        static final Received RUN_COMPLETE = new Received(null, null, null);

        boolean runComplete() {
            return this == RUN_COMPLETE;
        }
    }

    private InstructionDownload() {}

    static Received pull(FederationGrpc.FederationBlockingStub stub, String nodeId, int waitMs, Path inbox)
            throws IOException {
        // The call runs in its own cancellable context: leaving early (a refused chunk) cancels the
        // stream instead of reading the rest of a possibly huge payload.
        Context.CancellableContext ctx = Context.current().withCancellation();
        try {
            return ctx.call(() -> receive(stub, nodeId, waitMs, inbox));
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e.getMessage(), e);
        } finally {
            ctx.cancel(null);
        }
    }

    private static Received receive(FederationGrpc.FederationBlockingStub stub, String nodeId, int waitMs, Path inbox)
            throws IOException {
        Iterator<InstructionFrame> frames =
                stub.pullInstruction(PullRequest.newBuilder().setWaitMs(waitMs).build());
        if (!frames.hasNext()) {
            return null;
        }
        InstructionFrame first = frames.next();
        if (first.hasIdle()) {
            frames.hasNext();
            return first.getIdle().getRunComplete() ? Received.RUN_COMPLETE : null;
        }
        if (!first.hasHeader()) {
            throw new IOException(
                    "coordinator sent " + first.getFrameCase() + " before the instruction header (protocol error)");
        }
        InstructionHeader h = first.getHeader();
        try (StagedPayload staged = new StagedPayload(inbox, h.getParamsBytes())) {
            Path file = null;
            try {
                while (file == null) {
                    if (!frames.hasNext()) {
                        throw new IOException("instruction stream ended after " + staged.received() + " of "
                                + h.getParamsBytes() + " bytes");
                    }
                    InstructionFrame f = frames.next();
                    switch (f.getFrameCase()) {
                        case CHUNK -> staged.accept(f.getChunk());
                        case END -> file = staged.commit(f.getEnd());
                        default ->
                            throw new PayloadException(
                                    "unexpected " + f.getFrameCase() + " frame inside an instruction");
                    }
                }
                frames.hasNext();
                ParamSet params = h.getParamsBytes() == 0 ? ParamSet.empty() : Safetensors.read(file);
                Instruction ins = new Instruction(
                        h.getRunId(),
                        h.getRound(),
                        nodeId,
                        TaskKind.valueOf(h.getTask()),
                        new Config(h.getConfigMap()),
                        params,
                        bytes(h.getCompactPayload()));
                return new Received(h, ins, null);
            } catch (PayloadException e) {
                return new Received(h, null, "instruction payload refused: " + e.getMessage());
            } finally {
                if (file != null) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static byte[] bytes(ByteString b) {
        return b.toByteArray();
    }
}
