package dev.atelier.transport.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.atelier.transport.proto.Chunk;
import dev.atelier.transport.proto.PayloadEnd;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Reads a {@link PayloadFile} as a sequence of {@link Chunk} frames followed by one
 * {@link PayloadEnd}. Each chunk is read from disk only when asked for, into a fresh array that
 * the frame then owns, so memory in flight is what the caller's flow control lets through.
 *
 * <p>Opens its own channel, so the file may be unlinked while a source reads it. Not
 * thread-safe: one sender drives one source.
 */
public final class ChunkSource implements AutoCloseable {
    private final PayloadFile payload;
    private final FileChannel channel;
    private long offset;
    private int index;
    private boolean ended;

    public ChunkSource(PayloadFile payload) throws IOException {
        this.payload = payload;
        this.channel = payload.path() == null ? null : FileChannel.open(payload.path(), StandardOpenOption.READ);
    }

    /** True while data chunks remain. */
    public boolean hasMoreChunks() {
        return offset < payload.size();
    }

    /** The next data chunk; only valid while {@link #hasMoreChunks()}. */
    public Chunk nextChunk() throws IOException {
        int len = (int) Math.min(payload.chunkBytes(), payload.size() - offset);
        byte[] data = new byte[len];
        ByteBuffer buf = ByteBuffer.wrap(data);
        while (buf.hasRemaining()) {
            int n = channel.read(buf, offset + buf.position());
            if (n < 0) {
                throw new IOException("payload file " + payload.path() + " ended at byte " + (offset + buf.position())
                        + " of " + payload.size() + " (modified while sending?)");
            }
        }
        Chunk chunk = Chunk.newBuilder()
                .setOffset(offset)
                .setData(UnsafeByteOperations.unsafeWrap(data))
                .setSha256(ByteString.copyFrom(payload.chunkSha256(index)))
                .build();
        offset += len;
        index++;
        return chunk;
    }

    /** The closing frame; call once after the last chunk. */
    public PayloadEnd end() {
        if (hasMoreChunks() || ended) {
            throw new IllegalStateException("end() after " + offset + " of " + payload.size() + " bytes");
        }
        ended = true;
        return PayloadEnd.newBuilder()
                .setTotalBytes(payload.size())
                .setSha256(ByteString.copyFrom(payload.sha256()))
                .build();
    }

    /** Bytes of payload data handed out so far. */
    public long offset() {
        return offset;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
