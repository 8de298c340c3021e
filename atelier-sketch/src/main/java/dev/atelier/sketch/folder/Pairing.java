package dev.atelier.sketch.folder;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * How a folder's garments and sketches are matched: by file name without extension
 * ({@code images/coat-3.png} draws as {@code sketches/coat-3.jpg}).
 *
 * <p>Paired (the default): only matched names train; unmatched files are named in a warning. When
 * fewer than {@link #threshold()} names match — a naming scheme mismatch rather than a stray file —
 * it is an error, not a silent switch to unpaired training. Unpaired ({@code --unpaired},
 * {@code unpaired=true}): every file is used and the two sets are sampled independently. With
 * unsketched garments ({@code --unsketched}, {@code unsketched=true}) the garments without a sketch
 * train too and are not "left out"; the threshold then counts her sketches only.
 *
 * @param paired base names present in both folders, sorted
 * @param garmentsOnly files of {@code images/} without a sketch (relative names, sorted)
 * @param sketchesOnly files of {@code sketches/} without a garment (relative names, sorted)
 * @param unpaired whether unpaired training was asked for
 * @param unsketched whether garments without a sketch train as unsketched garments
 * @param threshold the least number of matched names paired training accepts
 */
public record Pairing(
        List<String> paired,
        List<String> garmentsOnly,
        List<String> sketchesOnly,
        boolean unpaired,
        boolean unsketched,
        int threshold) {
    /** Default share of the larger folder that must be matched by name. */
    public static final double DEFAULT_MIN_PAIRED_FRACTION = 0.5;
    /** How many file names a message lists before "and N more". */
    static final int LISTED = 12;

    public Pairing {
        paired = List.copyOf(paired);
        garmentsOnly = List.copyOf(garmentsOnly);
        sketchesOnly = List.copyOf(sketchesOnly);
    }

    /** As {@link #match(SortedMap, SortedMap, boolean, boolean, double)} without unsketched garments. */
    public static Pairing match(
            SortedMap<String, String> garments,
            SortedMap<String, String> sketches,
            boolean unpaired,
            double minPairedFraction) {
        return match(garments, sketches, unpaired, false, minPairedFraction);
    }

    /**
     * Matches base name → relative file name maps of the two folders.
     *
     * @param minPairedFraction in (0, 1]: share of the larger folder (of her sketches, with
     *     {@code unsketched}) that must be matched
     */
    public static Pairing match(
            SortedMap<String, String> garments,
            SortedMap<String, String> sketches,
            boolean unpaired,
            boolean unsketched,
            double minPairedFraction) {
        if (!(minPairedFraction > 0 && minPairedFraction <= 1)) {
            throw new IllegalArgumentException("minimum paired fraction must be in (0, 1], got " + minPairedFraction);
        }
        List<String> paired = new ArrayList<>();
        List<String> gOnly = new ArrayList<>();
        garments.forEach((base, file) -> {
            if (sketches.containsKey(base)) {
                paired.add(base);
            } else {
                gOnly.add(file);
            }
        });
        List<String> sOnly = new ArrayList<>();
        sketches.forEach((base, file) -> {
            if (!garments.containsKey(base)) {
                sOnly.add(file);
            }
        });
        int counted = unsketched ? sketches.size() : Math.max(garments.size(), sketches.size());
        int threshold = Math.max(1, (int) Math.ceil(minPairedFraction * counted));
        return new Pairing(paired, gOnly, sOnly, unpaired, unsketched, threshold);
    }

    /** The garment files that train as unsketched garments: those without a sketch, when asked for. */
    public List<String> unsketchedGarments() {
        return unsketched ? garmentsOnly : List.of();
    }

    /** Whether training uses pairs: asked for (not unpaired) and enough names matched. */
    public boolean usable() {
        return unpaired || paired.size() >= threshold;
    }

    /** The warning or error this pairing deserves (empty when every file is matched, or unpaired). */
    public List<Problem> problems() {
        if (unpaired || ((garmentsOnly.isEmpty() || unsketched) && sketchesOnly.isEmpty())) {
            return List.of();
        }
        String unmatched = unmatchedList();
        if (paired.size() < threshold) {
            return List.of(Problem.error(
                    ".",
                    "only " + paired.size() + " garments have a sketch of the same name (need at least " + threshold
                            + "); " + unmatched + "; rename the files so each garment and its sketch share a name, "
                            + "or train unpaired on purpose (--unpaired, config unpaired=true)"
                            + (garmentsOnly.isEmpty() || unsketched
                                    ? ""
                                    : ", or keep garments you have not sketched as such (--unsketched, config "
                                            + "unsketched=true)")));
        }
        return List.of(Problem.warning(
                ".", "training on the " + paired.size() + " matched pairs and leaving out " + unmatched));
    }

    private String unmatchedList() {
        List<String> parts = new ArrayList<>();
        if (!garmentsOnly.isEmpty() && !unsketched) {
            parts.add(garmentsOnly.size() + " garments without a sketch (" + list(garmentsOnly) + ")");
        }
        if (!sketchesOnly.isEmpty()) {
            parts.add(sketchesOnly.size() + " sketches without a garment (" + list(sketchesOnly) + ")");
        }
        return String.join(" and ", parts);
    }

    static String list(List<String> names) {
        String shown = String.join(", ", names.subList(0, Math.min(LISTED, names.size())));
        return names.size() > LISTED ? shown + " and " + (names.size() - LISTED) + " more" : shown;
    }
}
