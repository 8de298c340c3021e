package dev.atelier.sketch.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code training.json} of a model directory written by {@code atelier sketch train}: how far it got
 * and with what, so a second call resumes instead of starting over.
 *
 * @param format {@value #FORMAT}
 * @param warmupDone warm-up steps done
 * @param ganDone GAN steps done
 * @param batchSize batch size used
 * @param seed seed of the run
 * @param data the data folder trained on (absolute)
 * @param trainPairs pairs trained on
 * @param heldOutPairs pairs held out (listed in {@code held-out.txt})
 */
public record TrainingState(
        String format,
        int warmupDone,
        long ganDone,
        int batchSize,
        long seed,
        String data,
        int trainPairs,
        int heldOutPairs) {
    public static final String FORMAT = "atelier-sketch-train/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    public long stepsDone() {
        return warmupDone + ganDone;
    }

    /** Reads the state; a file of another format fails naming it. */
    public static TrainingState read(Path file) throws IOException {
        TrainingState s;
        try {
            s = JSON.readValue(file.toFile(), TrainingState.class);
        } catch (IOException e) {
            throw new IOException(file + " is not a readable training state (" + e.getMessage() + ")", e);
        }
        if (!FORMAT.equals(s.format())) {
            throw new IOException(file + " has format '" + s.format() + "', expected '" + FORMAT + "'");
        }
        if (s.warmupDone() < 0 || s.ganDone() < 0) {
            throw new IOException(file + ": negative step counts");
        }
        return s;
    }

    /** Writes the state (to a temporary file first, so a crash never leaves half a file). */
    public void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
}
