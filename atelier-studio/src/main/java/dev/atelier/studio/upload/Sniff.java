package dev.atelier.studio.upload;

/**
 * File types told by their first bytes, never by the name or the browser's content type. Stateless.
 */
public enum Sniff {
    PNG("png"),
    JPEG("jpg"),
    ZIP("zip"),
    OTHER("");

    private final String extension;

    Sniff(String extension) {
        this.extension = extension;
    }

    /** The extension files of this type are stored under. */
    public String extension() {
        return extension;
    }

    public boolean image() {
        return this == PNG || this == JPEG;
    }

    public static Sniff of(byte[] head) {
        if (starts(head, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (starts(head, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (starts(head, 'P', 'K', 3, 4)) {
            return ZIP;
        }
        return OTHER;
    }

    private static boolean starts(byte[] b, int... magic) {
        if (b.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
