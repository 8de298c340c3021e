package dev.atelier.studio.upload;

/**
 * Bounds on what one request may upload, checked while reading (never trusting sizes a client or
 * a zip header declares).
 *
 * @param maxFileBytes one image
 * @param maxFiles images in one upload (files or zip entries)
 * @param maxRequestBytes the whole request body (Jetty refuses more)
 * @param maxZipBytes uncompressed bytes of one zip, all entries together
 */
public record UploadLimits(long maxFileBytes, int maxFiles, long maxRequestBytes, long maxZipBytes) {
    /** 8 MiB per image, 2000 images, 128 MiB per request, 256 MiB unzipped. */
    public static final UploadLimits DEFAULTS = new UploadLimits(8L << 20, 2000, 128L << 20, 256L << 20);

    public UploadLimits {
        if (maxFileBytes < 1 || maxFiles < 1 || maxRequestBytes < maxFileBytes || maxZipBytes < maxFileBytes) {
            throw new IllegalArgumentException("inconsistent upload limits");
        }
    }

    public static String mib(long bytes) {
        return bytes % (1L << 20) == 0
                ? (bytes >> 20) + " MiB"
                : String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
