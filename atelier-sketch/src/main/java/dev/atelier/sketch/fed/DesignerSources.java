package dev.atelier.sketch.fed;

import dev.atelier.ml.data.DataException;
import dev.atelier.ml.data.DataSplits;
import dev.atelier.ml.data.ImageDataset;
import dev.atelier.sketch.folder.Canvas;
import dev.atelier.sketch.folder.DesignerFolder;
import dev.atelier.sketch.folder.FolderOptions;
import dev.atelier.sketch.folder.Pairing;
import dev.atelier.sketch.style.DesignerProfile;
import dev.atelier.sketch.style.DesignerProfiles;
import dev.atelier.sketch.style.TrainingIndices;
import dev.atelier.sketch.train.SketchPairs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a designer node's training pairs come from.
 *
 * <p><b>A user's folder</b> ({@link #fromFolder}): {@code DIR/images/*.png|jpg|jpeg} (garments) and
 * {@code DIR/sketches/*.png|jpg|jpeg}, read by {@link DesignerFolder}: garments and sketches of any
 * size reach the 32×32 canvas the same way ({@link Canvas}: a 32×32 image as is, any other scaled to
 * a longer side of 28 and centred, so 28×28 gets Fashion-MNIST's 2 px margin), so a garment and its
 * sketch stay aligned; garments in Fashion-MNIST polarity (light on dark; {@code invertGarments} for
 * photos on white). Pairs are matched by file name without extension; unmatched files are named
 * in a warning, and too few matches are an error ({@link Pairing}) — unpaired training only when
 * asked for. Every error (unreadable file, duplicate name, missing folder) is raised at once as a
 * {@link DataException} naming the files.
 *
 * <p><b>A default designer</b> ({@link #defaultDesigner}): the profile's garment mix picked from
 * the private Fashion-MNIST split by {@link TrainingIndices} and drawn in its style.
 */
public final class DesignerSources {
    private DesignerSources() {}

    /** Paired data from {@code dir/images} and {@code dir/sketches}; see the class comment. */
    public static SketchPairs fromFolder(Path dir, boolean invertGarments) {
        return fromFolder(dir, FolderOptions.defaults().withInvert(invertGarments));
    }

    /** The folder's pairs (or, with {@link FolderOptions#unpaired()}, its unpaired sets). */
    public static SketchPairs fromFolder(Path dir, FolderOptions options) {
        return DesignerFolder.read(dir, options).pairs();
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
