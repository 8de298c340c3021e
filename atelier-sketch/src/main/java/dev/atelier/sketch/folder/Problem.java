package dev.atelier.sketch.folder;

import java.util.Objects;

/**
 * One thing wrong (or suspicious) in a designer's folder, with the file it concerns.
 *
 * @param severity {@link Severity#ERROR} stops training; {@link Severity#WARNING} is reported and training goes on
 * @param file the file or folder concerned, relative to the data folder (e.g. {@code sketches/coat-3.png}),
 *     or {@code "."} for the folder as a whole
 * @param message one line, saying what to do
 */
public record Problem(Severity severity, String file, String message) {
    public enum Severity {
        WARNING,
        ERROR
    }

    public Problem {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    public static Problem error(String file, String message) {
        return new Problem(Severity.ERROR, file, message);
    }

    public static Problem warning(String file, String message) {
        return new Problem(Severity.WARNING, file, message);
    }

    @Override
    public String toString() {
        return (severity == Severity.ERROR ? "error: " : "warning: ") + file + ": " + message;
    }
}
