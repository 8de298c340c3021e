package dev.atelier.ml.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes an image file's bytes with ImageIO, reading the size from its header first and refusing an
 * image of more than {@value #MAX_PIXELS} pixels before any pixel is decoded: a PNG of a few hundred
 * kilobytes can claim 20000 x 20000 pixels (measured: 2.1 GB resident and 11 s to decode one), and
 * every folder, upload and node reads files it did not write. Stateless.
 */
public final class BoundedImageDecoder {
    /** 64 megapixels: a 48-megapixel phone photo or an A3 scan at 300 dpi fits, a decompression bomb does not. */
    public static final long MAX_PIXELS = 64_000_000L;

    private BoundedImageDecoder() {}

    /** Why bytes did not decode; the message is one line without the file's name (callers add it). */
    public static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean tooLarge;

        Unreadable(String message, Throwable cause) {
            this(message, cause, false);
        }

        Unreadable(String message, Throwable cause, boolean tooLarge) {
            super(message, cause);
            this.tooLarge = tooLarge;
        }

        /** True when the file is a readable image that is too large, not a damaged one. */
        public boolean tooLarge() {
            return tooLarge;
        }
    }

    /** The decoded image, or {@link Unreadable} saying why not. */
    public static BufferedImage decode(byte[] bytes) throws Unreadable {
        // in-memory stream: ImageIO would otherwise spill a cache file to the temp folder
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new Unreadable("not a PNG or JPEG image (no decoder recognises its contents)", null);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w < 1 || h < 1) {
                    throw new Unreadable("the image has no pixels (" + w + "x" + h + ")", null);
                }
                if (w * h > MAX_PIXELS) {
                    throw new Unreadable(
                            "the image is " + w + "x" + h + " pixels, over the limit of " + MAX_PIXELS
                                    + " pixels; downscale it",
                            null,
                            true);
                }
                BufferedImage image = reader.read(0);
                if (image == null) {
                    throw new Unreadable("the image decodes to nothing", null);
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // decoders report damaged data as IIOException or, for some corruptions, runtime exceptions
            throw new Unreadable(
                    "not a readable image, it is damaged or truncated (" + DataException.oneLine(e) + ")", e);
        }
    }
}
