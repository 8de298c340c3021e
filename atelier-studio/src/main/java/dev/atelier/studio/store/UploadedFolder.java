package dev.atelier.studio.store;

import java.time.Instant;

/**
 * One upload of her pairs ({@code folders/f<N>/}) and its folder check in numbers.
 *
 * @param folder N, from 1
 * @param name what she called it (display only)
 * @param garments readable garments
 * @param sketches readable sketches
 * @param pairs pairs matched by name
 * @param errors problems that stop training
 * @param warnings problems reported only
 */
public record UploadedFolder(
        int folder, Instant created, String name, int garments, int sketches, int pairs, int errors, int warnings) {
    public boolean trainable() {
        return errors == 0 && pairs > 0;
    }
}
