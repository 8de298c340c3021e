package dev.atelier.studio.upload;

import java.io.IOException;
import java.io.InputStream;

/**
 * One file as the browser sent it: the name it claims (display and pairing only) and its bytes,
 * read through {@link #read(InputStream, long)} so no more than the limit is ever held.
 */
public record Incoming(String claimedName, byte[] bytes) {
    /**
     * Reads at most {@code limit} bytes; more is an {@link TooLarge}.
     */
    public static byte[] read(InputStream in, long limit) throws IOException {
        byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (b.length > limit) {
            throw new TooLarge(limit);
        }
        return b;
    }

    /** A file over the size limit. */
    public static final class TooLarge extends IOException {
        public TooLarge(long limit) {
            super("larger than the " + UploadLimits.mib(limit) + " limit");
        }
    }
}
