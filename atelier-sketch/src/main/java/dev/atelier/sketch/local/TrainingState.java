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
 * @param unsketchedGarments garments without a sketch trained on ({@code --unsketched}); 0 when not
 *     asked for (and in files written before it existed)
 * @param dpSgd the critic's per-sketch DP-SGD so far; null when trained without it (and in files
 *     written before it existed)
 */
public record TrainingState(
        String format,
        int warmupDone,
        long ganDone,
        int batchSize,
        long seed,
        String data,
        int trainPairs,
        int heldOutPairs,
        int unsketchedGarments,
        DpSgdState dpSgd) {
    /**
     * DP-SGD of the critic so far: a resumed run continues with the same clip norm, noise
     * multiplier and sampling rate, and accounts these steps first.
     *
     * @param clipNorm        C of one pair's critic gradient
     * @param noiseMultiplier z (noise std / C)
     * @param samplingRate    Poisson sampling rate q = batch / pairs
     * @param delta           the delta of {@code epsilon}
     * @param steps           critic steps accounted
     * @param epsilon         epsilon spent after them (RDP accountant)
     * @param meanSnr         mean signal-to-noise ratio of the noisy critic gradient over them
     */
    public record DpSgdState(
            double clipNorm,
            double noiseMultiplier,
            double samplingRate,
            double delta,
            long steps,
            double epsilon,
            double meanSnr) {}

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
        if (s.trainPairs() < 0 || s.heldOutPairs() < 0 || s.unsketchedGarments() < 0) {
            throw new IOException(file + ": negative pair or garment counts");
        }
        if (s.dpSgd() != null
                && (!(s.dpSgd().noiseMultiplier() > 0)
                        || !(s.dpSgd().clipNorm() > 0)
                        || s.dpSgd().steps() < 0
                        || !(s.dpSgd().samplingRate() > 0 && s.dpSgd().samplingRate() <= 1)
                        || !(s.dpSgd().delta() > 0 && s.dpSgd().delta() < 1))) {
            throw new IOException(file + ": dpSgd out of range " + s.dpSgd());
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
