package dev.atelier.ml.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads users' own PNG/JPEG images as 8-bit grayscale of a fixed size.
 *
 * <p>Layouts: {@link #loadLabelled(Path)} reads {@code DIR/<label>/*.png|jpg|jpeg}, where the label
 * names are the subfolder names sorted by {@link String#compareTo} and a label's index is its position
 * in that order; {@link #loadAll(Path)} reads every image directly inside one folder, keyed by file
 * name (for paired folders such as photos and sketches). Extensions are matched case-insensitively;
 * other files and hidden entries (names starting with '.') are ignored. Conversion (luminance,
 * compositing over white, area-averaging resize, optional inversion) is described in {@link
 * GrayscaleConverter}; values are returned as floats in [0, 1] with 8-bit precision, like
 * Fashion-MNIST.
 *
 * <p>A file that cannot be decoded raises a {@link DataException} naming the file.
 *
 * <p>Thread-safety: immutable; methods may be called concurrently.
 *
 * @param width output width in pixels
 * @param height output height in pixels
 * @param invert whether to invert ({@code 1 - v}) so dark-on-white photos become light-on-black like
 *     Fashion-MNIST
 */
public record ImageFolderLoader(int width, int height, boolean invert) {

    private static final Logger LOG = LoggerFactory.getLogger(ImageFolderLoader.class);

    public ImageFolderLoader {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
    }

    /** A loader producing {@code width x height} images without inversion. */
    public static ImageFolderLoader of(int width, int height) {
        return new ImageFolderLoader(width, height, false);
    }

    /** The same loader with inversion switched on. */
    public ImageFolderLoader inverted() {
        return new ImageFolderLoader(width, height, true);
    }

    /** Whether {@code file}'s name ends in .png, .jpg or .jpeg (any case). */
    public static boolean isImageFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"));
    }

    /**
     * Loads {@code dir/<label>/*.png|jpg|jpeg} as a labelled data set, the label names being the
     * subfolder names in sorted order; images are ordered by label, then by file name. For data that
     * must agree with other nodes or a model, use {@link #loadLabelled(Path, List)}.
     *
     * @throws DataException if {@code dir} has no label subfolders or no images, or an image is unreadable
     */
    public ImageDataset loadLabelled(Path dir) {
        return load(dir, null);
    }

    /**
     * Loads {@code dir/<class>/*.png|jpg|jpeg} with labels from a declared class list, never from
     * which folders happen to exist: a folder's label is the index of its class in {@code classes},
     * so a node holding only some classes numbers them like every other node. A folder is named
     * after its class ({@code Sneaker}) or its index and class ({@code 7-Sneaker}); a {@code /} in a
     * class name is written {@code -} ({@code T-shirt-top}). Classes without a folder have no
     * examples. A folder that names no declared class, names a class by a number that disagrees
     * with its name, or names a class another folder already names is an error.
     *
     * @param classes the declared class names; index = label
     * @throws DataException as {@link #loadLabelled(Path)}, and for folders that do not match {@code classes}
     */
    public ImageDataset loadLabelled(Path dir, List<String> classes) {
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("the declared class list is empty");
        }
        return load(dir, List.copyOf(classes));
    }

    /** The index in {@code classes} that folder {@code name} declares, or a DataException saying why none. */
    static int classIndex(Path dir, String name, List<String> classes) {
        for (int i = 0; i < classes.size(); i++) {
            String c = classes.get(i);
            if (name.equals(c) || name.equals(c.replace('/', '-'))) {
                return i;
            }
        }
        int dash = name.indexOf('-');
        if (dash > 0 && name.substring(0, dash).matches("\\d{1,9}")) {
            int i = Integer.parseInt(name.substring(0, dash));
            String rest = name.substring(dash + 1);
            if (i < classes.size()
                    && (rest.equals(classes.get(i))
                            || rest.equals(classes.get(i).replace('/', '-')))) {
                return i;
            }
            for (int j = 0; j < classes.size(); j++) {
                if (rest.equals(classes.get(j)) || rest.equals(classes.get(j).replace('/', '-'))) {
                    throw new DataException("folder '" + name + "' in " + dir + " names class " + i + " by number but '"
                            + classes.get(j) + "' (class " + j + ") by name; rename it " + j + "-" + rest);
                }
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < classes.size(); i++) {
            expected.add(i + "-" + classes.get(i).replace('/', '-'));
        }
        throw new DataException("folder '" + name + "' in " + dir + " is not one of the declared classes " + expected
                + " (a folder is named CLASS or INDEX-CLASS)");
    }

    /** {@code classes} null: labels from the sorted folder names. */
    private ImageDataset load(Path dir, List<String> classes) {
        requireFolder(dir, "DIR/<label>/*.png|jpg|jpeg");
        List<Path> labelDirs = list(dir).stream()
                .filter(Files::isDirectory)
                .filter(p -> !p.getFileName().toString().startsWith("."))
                .toList();
        if (labelDirs.isEmpty()) {
            throw new DataException(
                    dir + " has no label subfolders; put images in " + dir + "/<label>/ with one subfolder per label");
        }
        List<String> classNames = new ArrayList<>(classes == null ? List.of() : classes);
        Map<Integer, String> claimed = new HashMap<>();
        List<byte[]> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path labelDir : labelDirs) {
            String folder = labelDir.getFileName().toString();
            int label;
            if (classes == null) {
                label = classNames.size();
                classNames.add(folder);
            } else {
                label = classIndex(dir, folder, classes);
                String other = claimed.putIfAbsent(label, folder);
                if (other != null) {
                    throw new DataException("folders '" + other + "' and '" + folder + "' in " + dir
                            + " both name class " + label + " '" + classes.get(label) + "'; merge them");
                }
            }
            List<Path> files = list(labelDir).stream()
                    .filter(ImageFolderLoader::isImageFile)
                    .filter(Files::isRegularFile)
                    .toList();
            if (files.isEmpty()) {
                LOG.warn("label folder {} holds no PNG/JPEG images; label {} will have no examples", labelDir, label);
            }
            for (Path file : files) {
                images.add(convert(read(file)));
                labels.add(label);
            }
        }
        if (images.isEmpty()) {
            throw new DataException("no PNG/JPEG images found under " + dir + "/<label>/; expected files "
                    + "ending in .png, .jpg or .jpeg");
        }
        int n = width * height;
        byte[] pixels = new byte[images.size() * n];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i), 0, pixels, i * n, n);
        }
        int[] labelArray = labels.stream().mapToInt(Integer::intValue).toArray();
        return ImageDataset.adopt(pixels, labelArray, height, width, classNames);
    }

    /**
     * Loads every PNG/JPEG directly inside {@code dir} (not recursive), keyed by file name (with
     * extension), each as floats in [0, 1], row-major {@code [height][width]}.
     *
     * @throws DataException if {@code dir} is not a folder or an image is unreadable
     */
    public SortedMap<String, float[]> loadAll(Path dir) {
        requireFolder(dir, "a folder of .png/.jpg/.jpeg files");
        SortedMap<String, float[]> out = new TreeMap<>();
        for (Path file : list(dir)) {
            if (isImageFile(file) && Files.isRegularFile(file)) {
                out.put(file.getFileName().toString(), toFloats(convert(read(file))));
            }
        }
        return Collections.unmodifiableSortedMap(out);
    }

    /** Loads one image file as floats in [0, 1], row-major {@code [height][width]}. */
    public float[] loadImage(Path file) {
        return toFloats(convert(read(file)));
    }

    private byte[] convert(BufferedImage image) {
        return GrayscaleConverter.convert(image, width, height, invert);
    }

    private static float[] toFloats(byte[] gray) {
        float[] out = new float[gray.length];
        for (int i = 0; i < gray.length; i++) {
            out[i] = Byte.toUnsignedInt(gray[i]) / 255f;
        }
        return out;
    }

    /** Decodes one file, turning every decoder failure into a one-line error naming the file. */
    static BufferedImage read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read file (" + DataException.oneLine(e) + ")", e);
        }
        try {
            return BoundedImageDecoder.decode(bytes);
        } catch (BoundedImageDecoder.Unreadable e) {
            throw new DataException(file + ": " + e.getMessage() + "; replace or remove it", e);
        }
    }

    private static void requireFolder(Path dir, String expected) {
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir + " is not a folder; expected " + expected);
        }
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted((a, b) ->
                            a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new DataException(dir + ": cannot list folder (" + DataException.oneLine(e) + ")", e);
        }
    }
}
