package dev.atelier.sketch.demo;

import dev.atelier.ml.data.ImageDataset;
import dev.atelier.sketch.style.DesignerProfile;
import dev.atelier.sketch.style.DesignerProfiles;
import dev.atelier.sketch.style.TrainingIndices;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds each designer's private data: garments picked by the profile's mix, sketched in their style. */
public final class Designers {
    private Designers() {}

    /** Profiles from {@code file}, or the built-in eight when null. */
    public static List<DesignerProfile> profiles(Path file) {
        return file == null ? DesignerProfiles.loadDefault() : DesignerProfiles.load(file);
    }

    public static List<DesignerData> build(List<DesignerProfile> profiles, ImageDataset privateTrain, long seed) {
        List<DesignerData> out = new ArrayList<>();
        for (DesignerProfile p : profiles) {
            int[] idx = TrainingIndices.pick(privateTrain.labels(), p, seed);
            List<float[]> garments = new ArrayList<>(idx.length);
            List<float[]> sketches = new ArrayList<>(idx.length);
            int[] labels = new int[idx.length];
            for (int i = 0; i < idx.length; i++) {
                float[] g = privateTrain.image(idx[i]);
                garments.add(g);
                sketches.add(p.sketchStyle().render(g));
                labels[i] = privateTrain.label(idx[i]);
            }
            out.add(new DesignerData(p, garments, labels, sketches));
        }
        return out;
    }
}
