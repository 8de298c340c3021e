package dev.atelier.sketch.fed;

import dev.atelier.ml.data.DataException;
import dev.atelier.ml.data.DataSplits;
import dev.atelier.ml.data.ImageDataset;
import dev.atelier.ml.data.ImageFolderLoader;
import dev.atelier.sketch.style.DesignerProfile;
import dev.atelier.sketch.style.DesignerProfiles;
import dev.atelier.sketch.style.SketchFormat;
import dev.atelier.sketch.style.TrainingIndices;
import dev.atelier.sketch.train.SketchPairs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where a designer node's training pairs come from.
 *
 * <p><b>A user's folder</b> ({@link #fromFolder}): {@code DIR/images/*.png|jpg|jpeg} (garments) and
 * {@code DIR/sketches/*.png|jpg|jpeg}. Garments are read as 28×28 grayscale in Fashion-MNIST
 * polarity (light garment on dark ground; set {@code invertGarments} for photos on white) and placed
 * on the 32×32 canvas with a 2-pixel margin, exactly like Fashion-MNIST, so they stay aligned with
 * the 32×32 sketches (1 = paper). Any other size is resized by area averaging (see
 * {@code GrayscaleConverter}), colour becomes luminance, transparency is composited over white.
 * If the two folders hold the same file names (ignoring extensions) the data is paired by name;
 * otherwise the sets are used unpaired, sampled independently as in FedGAI's code. An unreadable
 * or corrupt file raises a {@link DataException} naming it.
 *
 * <p><b>A default designer</b> ({@link #defaultDesigner}): the profile's garment mix picked from
 * the private Fashion-MNIST split by {@link TrainingIndices} and drawn in the profile's style.
 */
public final class DesignerSources {
    private DesignerSources() {}

    /** Pairs (or unpaired sets) from {@code dir/images} and {@code dir/sketches}; see the class comment. */
    public static SketchPairs fromFolder(Path dir, boolean invertGarments) {
        Path images = dir.resolve("images");
        Path sketches = dir.resolve("sketches");
        for (Path p : List.of(images, sketches)) {
            if (!Files.isDirectory(p)) {
                throw new DataException(dir + " must contain the folders images/ (garments) and sketches/ (drawings); "
                        + p.getFileName() + "/ is missing");
            }
        }
        ImageFolderLoader garmentLoader = ImageFolderLoader.of(SketchFormat.GARMENT_SIDE, SketchFormat.GARMENT_SIDE);
        SortedMap<String, float[]> g =
                byBaseName((invertGarments ? garmentLoader.inverted() : garmentLoader).loadAll(images), images);
        SortedMap<String, float[]> s = byBaseName(
                ImageFolderLoader.of(SketchFormat.SKETCH_SIDE, SketchFormat.SKETCH_SIDE)
                        .loadAll(sketches),
                sketches);
        if (g.isEmpty() || s.isEmpty()) {
            throw new DataException((g.isEmpty() ? images : sketches) + " holds no .png/.jpg/.jpeg images");
        }
        boolean paired = g.keySet().equals(s.keySet());
        return new SketchPairs(new ArrayList<>(g.values()), new ArrayList<>(s.values()), paired);
    }

    private static SortedMap<String, float[]> byBaseName(Map<String, float[]> files, Path folder) {
        SortedMap<String, float[]> out = new TreeMap<>();
        files.forEach((name, img) -> {
            String base = name.replaceFirst("\\.[^.]+$", "");
            if (out.put(base, img) != null) {
                throw new DataException(folder + ": two images are named '" + base + "' (with different extensions)");
            }
        });
        return out;
    }

    /**
     * The default designer {@code name}'s pairs: garments of its profile's mix from the private
     * split, drawn in its style.
     *
     * @throws IllegalArgumentException naming the known designers when {@code name} is not one
     */
    public static SketchPairs defaultDesigner(String name, DataSplits splits, long seed) {
        DesignerProfile profile = DesignerProfiles.loadDefault().stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown designer '" + name + "' (default designers: "
                        + DesignerProfiles.loadDefault().stream()
                                .map(DesignerProfile::name)
                                .toList() + ")"));
        ImageDataset priv = splits.privateTrain();
        List<float[]> garments = new ArrayList<>();
        List<float[]> sketches = new ArrayList<>();
        for (int i : TrainingIndices.pick(priv.labels(), profile, seed)) {
            float[] garment = priv.image(i);
            garments.add(garment);
            sketches.add(profile.sketchStyle().render(garment));
        }
        return SketchPairs.paired(garments, sketches);
    }
}
