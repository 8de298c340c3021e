package dev.atelier.transport.wire;

import com.google.protobuf.ByteString;
import dev.atelier.transport.proto.Chunk;
import dev.atelier.transport.proto.PayloadEnd;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Receives one streamed payload into a staging file, verifying as it goes: chunks must arrive in
 * order and non-empty, each chunk's SHA-256 must match, the total may not exceed the announced size, and at the
 * end the whole-payload SHA-256 and size must match the {@link PayloadEnd}. Only then is the file
 * committed (renamed from {@code *.part} to {@code *.safetensors}); any failure or abort deletes
 * it, so an interrupted upload leaves nothing behind.
 *
 * <p>Memory: the caller's frame plus one reusable chunk-sized array. Not thread-safe: gRPC delivers one
 * stream's messages serially.
 */
public final class StagedPayload implements AutoCloseable {
    private final Path part;
    private final long expectedBytes;
    private final FileChannel channel;
    private final MessageDigest whole = Sha256.newDigest();
    private final MessageDigest chunkDigest = Sha256.newDigest();
    private long received;
    private int chunks;
    private byte[] scratch = new byte[0];
    private boolean finished;

    /**
     * @param stagingDir    where the partial file lives
     * @param expectedBytes the announced payload size in bytes (already checked against limits)
     */
    public StagedPayload(Path stagingDir, long expectedBytes) throws IOException {
        if (expectedBytes < 0) {
            throw new IllegalArgumentException("negative payload size " + expectedBytes);
        }
        Files.createDirectories(stagingDir);
        this.expectedBytes = expectedBytes;
        this.part = Files.createTempFile(stagingDir, "upload-", ".part");
        this.channel = FileChannel.open(part, StandardOpenOption.WRITE);
    }

    /** Verifies and appends one chunk. */
    public void accept(Chunk chunk) throws PayloadException, IOException {
        if (finished) {
            throw new PayloadException("chunk after the payload was closed");
        }
        if (chunk.getOffset() != received) {
            throw new PayloadException("chunk " + chunks + " starts at byte " + Long.toUnsignedString(chunk.getOffset())
                    + " but " + received
                    + " bytes were received (chunks lost or out of order)");
        }
        ByteString data = chunk.getData();
        if (data.isEmpty()) {
            // no sender produces one; accepted, endless empty chunks would keep an upload's idle timer alive
            throw new PayloadException("chunk " + chunks + " at byte " + received + " is empty (protocol error)");
        }
        if (received + data.size() > expectedBytes) {
            throw new PayloadException(
                    "payload exceeds its announced size of " + expectedBytes + " bytes at chunk " + chunks);
        }
        // one copy into a reusable array: digests over a heap array take the fast intrinsic path,
        // read-only buffer views would be copied in small pieces instead
        if (scratch.length < data.size()) {
            scratch = new byte[data.size()];
        }
        int len = data.size();
        data.copyTo(scratch, 0);
        chunkDigest.reset();
        chunkDigest.update(scratch, 0, len);
        byte[] got = chunkDigest.digest();
        if (!Sha256.same(got, chunk.getSha256().toByteArray())) {
            throw new PayloadException("chunk " + chunks + " (bytes " + received + ".." + (received + data.size())
                    + ") failed its SHA-256 check: corrupted in transit");
        }
        whole.update(scratch, 0, len);
        ByteBuffer b = ByteBuffer.wrap(scratch, 0, len);
        while (b.hasRemaining()) {
            channel.write(b);
        }
        received += data.size();
        chunks++;
    }

    /**
     * Checks the closing frame and commits the file.
     *
     * @return the committed file; the caller owns (and eventually deletes) it
     */
    public Path commit(PayloadEnd end) throws PayloadException, IOException {
        if (finished) {
            throw new PayloadException("payload closed twice");
        }
        if (end.getTotalBytes() != expectedBytes || received != expectedBytes) {
            throw new PayloadException("payload incomplete: received " + received + " bytes, announced " + expectedBytes
                    + ", end frame says " + Long.toUnsignedString(end.getTotalBytes()));
        }
        byte[] digest = whole.digest();
        if (!Sha256.same(digest, end.getSha256().toByteArray())) {
            throw new PayloadException("whole-payload SHA-256 mismatch (received "
                    + Sha256.hex(digest).substring(0, 16)
                    + "..., sender announced "
                    + Sha256.hex(end.getSha256().toByteArray())
                            .substring(0, Math.min(16, 2 * end.getSha256().size()))
                    + "...)");
        }
        finished = true;
        channel.close();
        Path done = part.resolveSibling(part.getFileName().toString().replace(".part", ".safetensors"));
        Files.move(part, done, StandardCopyOption.ATOMIC_MOVE);
        return done;
    }

    /** Bytes of payload data accepted so far. */
    public long received() {
        return received;
    }

    /** Number of chunks accepted so far. */
    public int chunks() {
        return chunks;
    }

    /** Discards the partial file (no-op after commit). */
    public void abort() {
        if (finished) {
            return;
        }
        finished = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // the file is deleted next; nothing else to release
        }
        try {
            Files.deleteIfExists(part);
        } catch (IOException ignored) {
            // staging directories are also swept at coordinator start
        }
    }

    @Override
    public void close() {
        abort();
    }
}
