package dev.atelier.sketch.folder;

import dev.atelier.ml.data.DataException;
import dev.atelier.ml.data.ImageFolderLoader;
import dev.atelier.sketch.train.SketchPairs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A designer's data folder, read once, with every problem found in it: {@code DIR/images/} (garments)
 * and {@code DIR/sketches/} (her drawings), PNG or JPEG of any size, paired by file name
 * ({@link Pairing}). Every image reaches the model's canvas through {@link Canvas}, garments and
 * sketches alike, so pairs stay aligned.
 *
 * <p>Reading never stops at the first bad file: unreadable files, duplicate names, unmatched names,
 * suspicious polarity, blank images and pairs of different shapes are collected as {@link Problem}s
 * naming the file ({@code atelier sketch check} prints them all). {@link #pairs()} refuses a folder
 * with errors. Immutable after construction, thread-safe.
 */
public final class DesignerFolder {
    private static final Logger LOG = LoggerFactory.getLogger(DesignerFolder.class);
    public static final String IMAGES = "images";
    public static final String SKETCHES = "sketches";

    /**
     * One image on the canvas.
     *
     * @param file path relative to the data folder, e.g. {@code images/coat.png}
     * @param base file name without extension (the pairing key)
     */
    public record Image(String file, String base, Canvas.Read read) {}

    private final Path dir;
    private final FolderOptions options;
    private final SortedMap<String, Image> garments;
    private final SortedMap<String, Image> sketches;
    private final Pairing pairing;
    private final List<Problem> problems;
    private final java.util.concurrent.atomic.AtomicBoolean warned = new java.util.concurrent.atomic.AtomicBoolean();

    private DesignerFolder(
            Path dir,
            FolderOptions options,
            SortedMap<String, Image> garments,
            SortedMap<String, Image> sketches,
            List<Problem> problems) {
        this.dir = dir;
        this.options = options;
        this.garments = garments;
        this.sketches = sketches;
        this.pairing = Pairing.match(
                files(garments),
                files(sketches),
                options.unpaired(),
                options.unsketched(),
                options.minPairedFraction());
        List<Problem> all = new ArrayList<>(problems);
        if (!garments.isEmpty() && !sketches.isEmpty()) {
            all.addAll(pairing.problems());
        }
        all.addAll(FolderChecks.polarity(garments.values(), sketches.values()));
        all.addAll(FolderChecks.blank(garments.values(), sketches.values()));
        all.addAll(FolderChecks.upscaled(garments.values(), sketches.values(), options.canvas()));
        if (!options.unpaired()) {
            all.addAll(FolderChecks.shapes(pairing.paired(), garments, sketches));
        }
        this.problems = List.copyOf(all);
    }

    /** Reads {@code dir}; file problems become {@link #problems()}, nothing is thrown for them. */
    public static DesignerFolder read(Path dir, FolderOptions options) {
        List<Problem> problems = new ArrayList<>();
        SortedMap<String, Image> g =
                readFolder(dir, IMAGES, options.invertGarments(), Canvas.Kind.GARMENT, options.canvas(), problems);
        SortedMap<String, Image> s = readFolder(dir, SKETCHES, false, Canvas.Kind.SKETCH, options.canvas(), problems);
        return new DesignerFolder(dir, options, g, s, problems);
    }

    private static SortedMap<String, Image> readFolder(
            Path dir, String name, boolean invert, Canvas.Kind kind, int side, List<Problem> problems) {
        SortedMap<String, Image> out = new TreeMap<>();
        Path folder = dir.resolve(name);
        if (!Files.isDirectory(folder)) {
            problems.add(Problem.error(
                    name + "/",
                    "missing: " + dir + " must contain the folders images/ (garments) and sketches/ (drawings)"));
            return out;
        }
        List<Path> files;
        try (Stream<Path> entries = Files.list(folder)) {
            files = entries.sorted().toList();
        } catch (IOException e) {
            problems.add(Problem.error(name + "/", "cannot list the folder (" + e.getMessage() + ")"));
            return out;
        }
        SortedMap<String, List<Path>> byBase = new TreeMap<>();
        for (Path file : files) {
            String fileName = file.getFileName().toString();
            if (fileName.startsWith(".") || !Files.isRegularFile(file)) {
                continue;
            }
            if (!ImageFolderLoader.isImageFile(file)) {
                problems.add(Problem.warning(name + "/" + fileName, "not a .png/.jpg/.jpeg file; ignored"));
                continue;
            }
            byBase.computeIfAbsent(fileName.replaceFirst("\\.[^.]+$", ""), b -> new ArrayList<>())
                    .add(file);
        }
        byBase.forEach((base, same) -> {
            List<String> rel =
                    same.stream().map(f -> name + "/" + f.getFileName()).toList();
            if (same.size() > 1) {
                problems.add(Problem.error(
                        rel.get(0),
                        "has the same name as " + String.join(", ", rel.subList(1, rel.size()))
                                + " (extensions are ignored); rename or remove one"));
                return;
            }
            try {
                out.put(base, new Image(rel.get(0), base, Canvas.read(same.get(0), invert, kind, side)));
            } catch (DataException e) {
                problems.add(Problem.error(rel.get(0), e.getMessage().replace(same.get(0) + ": ", "")));
            }
        });
        if (out.isEmpty() && problems.stream().noneMatch(p -> p.file().startsWith(name + "/"))) {
            problems.add(Problem.error(name + "/", "holds no .png/.jpg/.jpeg images"));
        } else if (out.isEmpty()) {
            problems.add(Problem.error(name + "/", "holds no readable images"));
        }
        return out;
    }

    private static SortedMap<String, String> files(SortedMap<String, Image> images) {
        SortedMap<String, String> out = new TreeMap<>();
        images.forEach((base, img) -> out.put(base, img.file()));
        return out;
    }

    public Path dir() {
        return dir;
    }

    public FolderOptions options() {
        return options;
    }

    /** Garments by base name. */
    public Map<String, Image> garments() {
        return garments;
    }

    /** Sketches by base name. */
    public Map<String, Image> sketches() {
        return sketches;
    }

    public Pairing pairing() {
        return pairing;
    }

    /** Every problem found, errors and warnings, in the order found. */
    public List<Problem> problems() {
        return problems;
    }

    public List<Problem> errors() {
        return problems.stream()
                .filter(p -> p.severity() == Problem.Severity.ERROR)
                .toList();
    }

    /**
     * The training data: matched pairs in name order (with {@link FolderOptions#unsketched()} the
     * garments without a sketch as her unsketched garments, in name order), or every garment and
     * sketch when unpaired. Warnings are logged here, on the first call only.
     *
     * @throws DataException listing every error when the folder has any
     */
    public SketchPairs pairs() {
        List<Problem> errors = errors();
        if (!errors.isEmpty()) {
            throw new DataException(dir + " cannot be used for training: "
                    + errors.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        }
        if (!warned.getAndSet(true)) {
            problems.forEach(p -> LOG.warn("{}: {}", dir, p));
        }
        if (options.unpaired()) {
            return new SketchPairs(pixels(garments.values()), pixels(sketches.values()), false);
        }
        SketchPairs pairs = SketchPairs.paired(
                pixels(pairing.paired().stream().map(garments::get).toList()),
                pixels(pairing.paired().stream().map(sketches::get).toList()));
        if (!options.unsketched()) {
            return pairs;
        }
        return pairs.withUnsketched(pixels(garments.values().stream()
                .filter(g -> !sketches.containsKey(g.base()))
                .toList()));
    }

    private static List<float[]> pixels(java.util.Collection<Image> images) {
        return images.stream().map(i -> i.read().pixels()).toList();
    }
}
