package dev.atelier.core.util;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Files that ship inside Atelier's jars (classpath resources) and are installed into a cache on
 * first use: the pretrained networks that every machine would otherwise train for itself. Training
 * them is not bit-reproducible across CPUs, so shipping them is also what makes two machines'
 * results comparable. A cache entry whose key has no shipped file is trained as before.
 */
public final class ShippedFiles {
    private ShippedFiles() {}

    /** Whether {@code resource} (an absolute classpath name, e.g. {@code /dev/atelier/ml/shipped/x}) ships. */
    public static boolean ships(Class<?> anchor, String resource) {
        return anchor.getResource(resource) != null;
    }

    /**
     * Copies {@code resource} to {@code target} so that {@code target} appears whole or not at all
     * (written beside it, then moved); false, with nothing written, when the resource does not ship.
     * An existing {@code target} is replaced.
     */
    public static boolean install(Class<?> anchor, String resource, Path target) throws IOException {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                return false;
            }
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, target.getFileName() + ".", ".tmp");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return true;
        }
    }
}
