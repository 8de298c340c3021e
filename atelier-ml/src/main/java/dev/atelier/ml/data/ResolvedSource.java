package dev.atelier.ml.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where {@link FashionMnistResolver} found the Fashion-MNIST files.
 *
 * @param directory folder holding the four {@code .gz} files
 * @param kind which rule of the search order matched
 */
public record ResolvedSource(Path directory, Kind kind) {

    /** The search order, first to last. */
    public enum Kind {
        EXPLICIT("--data"),
        ENVIRONMENT("ATELIER_DATA"),
        USER_CACHE("user cache"),
        SYSTEM("debian package"),
        DOWNLOADED("downloaded");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** Short label for logs, e.g. {@code debian package}. */
        public String label() {
            return label;
        }
    }

    public ResolvedSource {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(kind, "kind");
    }

    /** One log line, e.g. {@code resolved Fashion-MNIST from /usr/share/datasets/fashion-mnist (debian package)}. */
    public String describe() {
        return "resolved Fashion-MNIST from " + directory + " (" + kind.label() + ")";
    }
}
