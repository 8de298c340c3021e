package dev.atelier.studio.upload;

import dev.atelier.ml.data.BoundedImageDecoder;
import java.awt.image.BufferedImage;

/**
 * Decodes an uploaded image: PNG or JPEG by its content ({@link Sniff}), then the project's bounded
 * decoder, which checks the header's size against {@link BoundedImageDecoder#MAX_PIXELS} before any
 * pixel is decoded (a small file may claim a huge image). Stateless.
 */
public final class ImageCheck {
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
        try {
            return BoundedImageDecoder.decode(bytes);
        } catch (BoundedImageDecoder.Unreadable e) {
            String why = e.getMessage().length() > 200 ? e.getMessage().substring(0, 200) + "…" : e.getMessage();
            throw new Refused((e.tooLarge() ? type + " file: " : "damaged " + type + " file: ") + why);
        }
    }
}
