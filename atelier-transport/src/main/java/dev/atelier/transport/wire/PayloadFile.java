package dev.atelier.transport.wire;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A parameter payload ready to be streamed: the safetensors encoding of a {@link ParamSet} in a
 * temporary file, with its size, whole-payload SHA-256 and the SHA-256 of every chunk, all
 * computed in the single pass that writes the file. Payloads of any size (over 2 GiB included)
 * never sit in one Java array.
 *
 * <p>An empty parameter set has no file and size 0. Immutable after creation and thread-safe;
 * {@link #close()} deletes the file (a payload being streamed holds its own open channel, so
 * deleting only unlinks it).
 */
public final class PayloadFile implements AutoCloseable {
    private final Path path;
    private final long size;
    private final int chunkBytes;
    private final byte[] sha256;
    private final List<byte[]> chunkDigests;

    private PayloadFile(Path path, long size, int chunkBytes, byte[] sha256, List<byte[]> chunkDigests) {
        this.path = path;
        this.size = size;
        this.chunkBytes = chunkBytes;
        this.sha256 = sha256;
        this.chunkDigests = List.copyOf(chunkDigests);
    }

    /**
     * Encodes {@code params} as safetensors into a new file under {@code dir}.
     *
     * @param chunkBytes chunk size the payload will be sent with, in bytes
     */
    public static PayloadFile encode(ParamSet params, Path dir, int chunkBytes) throws IOException {
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunk size must be positive, got " + chunkBytes);
        }
        if (params.isEmpty()) {
            return new PayloadFile(null, 0, chunkBytes, Sha256.newDigest().digest(), List.of());
        }
        Files.createDirectories(dir);
        Path file = Files.createTempFile(dir, "payload-", ".safetensors");
        try (ChunkDigestingStream out = new ChunkDigestingStream(Files.newOutputStream(file), chunkBytes)) {
            Safetensors.write(params, Map.of(), out);
            out.flush();
            out.finish();
            return new PayloadFile(file, out.count, chunkBytes, out.whole.digest(), out.digests);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** The file, or null when the payload is empty. */
    public Path path() {
        return path;
    }

    /** Payload size in bytes. */
    public long size() {
        return size;
    }

    public int chunkBytes() {
        return chunkBytes;
    }

    /** SHA-256 of the whole payload (a copy). */
    public byte[] sha256() {
        return sha256.clone();
    }

    /** Number of chunks the payload is sent in. */
    public int chunkCount() {
        return chunkDigests.size();
    }

    /** SHA-256 of chunk {@code index} (a copy). */
    public byte[] chunkSha256(int index) {
        return chunkDigests.get(index).clone();
    }

    @Override
    public void close() throws IOException {
        if (path != null) {
            Files.deleteIfExists(path);
        }
    }

    /** Writes through to a file while hashing every byte into the whole digest and per-chunk digests. */
    private static final class ChunkDigestingStream extends OutputStream {
        private final OutputStream out;
        private final int chunkBytes;
        private final MessageDigest whole = Sha256.newDigest();
        private final MessageDigest chunk = Sha256.newDigest();
        private final List<byte[]> digests = new ArrayList<>();
        private long count;
        private int inChunk;

        ChunkDigestingStream(OutputStream out, int chunkBytes) {
            this.out = new BufferedOutputStream(out, 1 << 20);
            this.chunkBytes = chunkBytes;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            whole.update(b, off, len);
            count += len;
            while (len > 0) {
                int n = Math.min(len, chunkBytes - inChunk);
                chunk.update(b, off, n);
                inChunk += n;
                off += n;
                len -= n;
                if (inChunk == chunkBytes) {
                    digests.add(chunk.digest());
                    inChunk = 0;
                }
            }
        }

        void finish() {
            if (inChunk > 0) {
                digests.add(chunk.digest());
                inChunk = 0;
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
