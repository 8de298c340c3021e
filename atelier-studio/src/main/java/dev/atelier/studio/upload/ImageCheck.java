package dev.atelier.studio.upload;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes an uploaded image after {@link Sniff} said PNG or JPEG: the header's size is checked
 * against {@value #MAX_PIXELS} pixels before any pixel is decoded (a small file may claim a huge
 * image). Stateless.
 */
public final class ImageCheck {
    /** 40 megapixels: any camera's photo, not a decompression bomb. */
    public static final long MAX_PIXELS = 40_000_000L;

    private ImageCheck() {}

    /** Why an upload is refused; the message is one line for the page. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    /** The decoded image, or {@link Refused} saying why not. */
    public static BufferedImage decode(byte[] bytes) throws Refused {
        Sniff type = Sniff.of(bytes);
        if (!type.image()) {
            throw new Refused("not a PNG or JPEG image (checked by its content, not its name)");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new Refused("damaged " + type + " file: no decoder accepts it");
            }
            ImageReader r = readers.next();
            try {
                r.setInput(in, true, true);
                long w = r.getWidth(0);
                long h = r.getHeight(0);
                if (w < 1 || h < 1 || w * h > MAX_PIXELS) {
                    throw new Refused(
                            "image of " + w + "x" + h + " pixels is over the limit of " + MAX_PIXELS + " pixels");
                }
                BufferedImage img = r.read(0);
                if (img == null) {
                    throw new Refused("damaged " + type + " file: it decodes to nothing");
                }
                return img;
            } finally {
                r.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new Refused("damaged " + type + " file: it cannot be decoded (" + oneLine(e) + ")");
        }
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = m.replaceAll("\\s+", " ");
        return m.length() > 120 ? m.substring(0, 120) + "…" : m;
    }
}
