package dev.atelier.studio.create;

import dev.atelier.core.params.Safetensors;
import dev.atelier.sketch.model.ModelDir;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.StyleCard;
import dev.atelier.sketch.student.SketchStudent;
import java.io.IOException;
import java.nio.file.Files;

/**
 * Generation in the studio's own JVM (inference only, no gradient tape, so it runs while a child
 * trains): the active version's teacher, its edge student when the version has one, and its
 * federation style card when it has one, loaded once per version. Thread-safe: one request
 * generates at a time (the model's NDManager is shared).
 */
public final class Sketcher implements AutoCloseable {
    /** What the active version offers. */
    public record Abilities(boolean blend, boolean student) {}

    private int version;
    private SketchGan gan;
    private SketchStudent student;
    private StyleCard own;
    private StyleCard federation;

    /** Loads {@code dir} as {@code v} unless it is loaded already. */
    public synchronized Abilities use(int v, ModelDir dir) throws IOException {
        if (gan == null || version != v) {
            closeModel();
            gan = dir.loadModel();
            own = gan.styleCard();
            federation = Files.isRegularFile(dir.federationCard())
                    ? StyleCard.fromParamSet(Safetensors.read(dir.federationCard()))
                    : null;
            student = Files.isRegularFile(dir.student()) ? SketchStudent.load(dir.student(), gan) : null;
            version = v;
        }
        return new Abilities(federation != null, student != null);
    }

    /**
     * The candidates of one garment (on the canvas), see {@link Jitter}.
     *
     * @param blend own-style weight in [0,1], or null for her own card only
     * @param useStudent draw with the edge student (needs one)
     * @param candidates 1..{@link Jitter#max()}
     * @return sketches on the canvas, candidate 0 first
     */
    public synchronized float[][] sketch(float[] garment, Double blend, boolean useStudent, int candidates) {
        if (gan == null) {
            throw new IllegalStateException("no model loaded");
        }
        if (candidates < 1 || candidates > Jitter.max()) {
            throw new IllegalArgumentException("candidates must be in 1.." + Jitter.max());
        }
        if (blend != null && federation == null) {
            throw new IllegalArgumentException("this model version has no federation style card to blend with");
        }
        if (useStudent && student == null) {
            throw new IllegalArgumentException("this model version has no edge student");
        }
        float[][] in = new float[candidates][];
        for (int k = 0; k < candidates; k++) {
            in[k] = Jitter.input(garment, k);
        }
        gan.setStyleCard(blend == null ? own : own.blend(federation, blend));
        try {
            float[][] out = useStudent ? student.generate(in) : gan.generate(in);
            for (int k = 0; k < candidates; k++) {
                out[k] = Jitter.output(out[k], k);
            }
            return out;
        } finally {
            gan.setStyleCard(own);
        }
    }

    /** One sketch of {@code garment} by the checkpoint in {@code dir}, loaded and closed here (previews). */
    public static float[] once(ModelDir dir, float[] garment) throws IOException {
        try (SketchGan g = dir.loadModel()) {
            return g.generate(new float[][] {garment})[0];
        }
    }

    private void closeModel() {
        if (student != null) {
            student.close();
            student = null;
        }
        if (gan != null) {
            gan.close();
            gan = null;
        }
    }

    @Override
    public synchronized void close() {
        closeModel();
    }
}
