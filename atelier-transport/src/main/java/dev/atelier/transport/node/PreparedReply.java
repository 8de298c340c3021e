package dev.atelier.transport.node;

import dev.atelier.transport.proto.ReplyHeader;
import dev.atelier.transport.wire.PayloadFile;
import java.io.IOException;

/**
 * A reply ready to push: its header and its encoded parameters. Kept until the coordinator gives
 * an outcome, so a reply survives a coordinator restart and is pushed again after reconnecting.
 *
 * @param header   reply header (instruction id, metrics, sizes, or error)
 * @param payload  the safetensors parameters
 * @param attempts pushes tried so far
 */
record PreparedReply(ReplyHeader header, PayloadFile payload, int attempts) implements AutoCloseable {
    PreparedReply retried() {
        return new PreparedReply(header, payload, attempts + 1);
    }

    @Override
    public void close() throws IOException {
        payload.close();
    }
}
