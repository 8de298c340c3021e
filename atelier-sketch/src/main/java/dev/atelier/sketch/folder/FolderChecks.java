package dev.atelier.sketch.folder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The content checks of a designer's folder beyond reading and pairing: polarity guesses, blank
 * images, pairs of different shapes. Each returns warnings naming the files; none stops training
 * (a chalk-style designer draws light lines on dark paper on purpose). Stateless.
 */
final class FolderChecks {
    /** Border median above which a garment looks photographed on a light ground. */
    static final float LIGHT = 0.5f;
    /** Value range below which an image counts as blank. */
    static final float BLANK_RANGE = 0.04f;
    /** Aspect-ratio difference above which a garment and its sketch are placed differently. */
    static final double ASPECT_TOLERANCE = 0.02;

    private FolderChecks() {}

    /**
     * Garments should be light on a dark ground (after the optional inversion), sketches drawn on
     * light paper; the guess is the median of each image's outermost pixels.
     */
    static List<Problem> polarity(
            Collection<DesignerFolder.Image> garments, Collection<DesignerFolder.Image> sketches) {
        List<Problem> out = new ArrayList<>();
        List<String> lightGarments = new ArrayList<>();
        garments.forEach(g -> {
            if (g.read().borderMedian() > LIGHT) {
                lightGarments.add(g.file());
            }
        });
        if (!lightGarments.isEmpty()) {
            out.add(Problem.warning(
                    DesignerFolder.IMAGES + "/",
                    lightGarments.size() + " of " + garments.size() + " garments look like dark garments on a light"
                            + " ground (" + Pairing.list(lightGarments) + "); the models expect a light garment on"
                            + " black: invert them (--invert, config invert_images=true) if that is what they are"));
        }
        List<String> darkSketches = new ArrayList<>();
        sketches.forEach(s -> {
            if (s.read().borderMedian() <= LIGHT) {
                darkSketches.add(s.file());
            }
        });
        if (!darkSketches.isEmpty()) {
            out.add(Problem.warning(
                    DesignerFolder.SKETCHES + "/",
                    darkSketches.size() + " of " + sketches.size() + " sketches have a dark ground ("
                            + Pairing.list(darkSketches) + "); fine for light lines on dark paper (like chalk),"
                            + " otherwise check they are not inverted"));
        }
        return out;
    }

    /** Images whose values hardly vary: empty scans, failed exports. */
    static List<Problem> blank(Collection<DesignerFolder.Image> garments, Collection<DesignerFolder.Image> sketches) {
        List<Problem> out = new ArrayList<>();
        for (Collection<DesignerFolder.Image> images : List.of(garments, sketches)) {
            for (DesignerFolder.Image img : images) {
                if (img.read().range() < BLANK_RANGE) {
                    out.add(Problem.warning(
                            img.file(),
                            String.format(
                                    Locale.ROOT,
                                    "looks blank (all values within %.2f); check the file",
                                    img.read().range())));
                }
            }
        }
        return out;
    }

    /**
     * Images smaller than the canvas' content area are scaled up, which blurs them: fine for a few,
     * a sign of the wrong {@code --canvas} (or of thumbnails) when many are. One warning per folder.
     */
    static List<Problem> upscaled(
            Collection<DesignerFolder.Image> garments, Collection<DesignerFolder.Image> sketches, int side) {
        List<Problem> out = new ArrayList<>();
        int content = Canvas.content(side);
        for (var entry :
                List.of(Map.entry(DesignerFolder.IMAGES, garments), Map.entry(DesignerFolder.SKETCHES, sketches))) {
            List<String> small = new ArrayList<>();
            int smallest = Integer.MAX_VALUE;
            for (DesignerFolder.Image img : entry.getValue()) {
                Canvas.Size s = img.read().source();
                boolean onCanvas = s.width() == side && s.height() == side;
                int longSide = Math.max(s.width(), s.height());
                if (!onCanvas && longSide < content) {
                    small.add(img.file());
                    smallest = Math.min(smallest, longSide);
                }
            }
            if (!small.isEmpty()) {
                out.add(Problem.warning(
                        entry.getKey() + "/",
                        small.size() + " of " + entry.getValue().size() + " images are smaller than the " + content
                                + " px the " + side + " px canvas draws them at (longer side down to " + smallest
                                + " px: " + Pairing.list(small) + ") and are scaled up, so they look blurred; use"
                                + " larger scans or a smaller --canvas"));
            }
        }
        return out;
    }

    /** Pairs whose images have different aspect ratios land differently on the canvas. */
    static List<Problem> shapes(
            List<String> paired,
            Map<String, DesignerFolder.Image> garments,
            Map<String, DesignerFolder.Image> sketches) {
        List<Problem> out = new ArrayList<>();
        for (String base : paired) {
            Canvas.Size g = garments.get(base).read().source();
            Canvas.Size s = sketches.get(base).read().source();
            double ag = (double) g.width() / g.height();
            double as = (double) s.width() / s.height();
            if (Math.abs(ag - as) > ASPECT_TOLERANCE * Math.max(ag, as)) {
                out.add(Problem.warning(
                        sketches.get(base).file(),
                        "is " + s + " but its garment " + garments.get(base).file() + " is " + g
                                + ": different shapes do not line up on the canvas; crop both the same way"));
            }
        }
        return out;
    }
}
