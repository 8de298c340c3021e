package dev.atelier.ml.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads Fashion-MNIST: 60 000 training and 10 000 test images of 28x28 grayscale clothing items in 10
 * classes ({@link #CLASS_NAMES}), read from the four official gzip'd IDX files.
 *
 * <p>Entry points: {@link #load(Path)} resolves the files (see {@link FashionMnistResolver}) and
 * verifies them against the official checksums; {@link #read(Path, Verification)} reads a given
 * folder; {@link #loadFixture()} returns the small subset committed in this module's resources, for
 * tests in any module. Official verification costs nothing extra: the SHA-256 of the decompressed
 * content is computed while parsing.
 *
 * <p>Thread-safety: stateless apart from the immutable, lazily loaded fixture; all methods may be
 * called concurrently.
 */
public final class FashionMnist {

    /** Class names; index = label. */
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Image height and width in pixels. */
    public static final int IMAGE_SIZE = 28;

    /** Classpath folder of the committed fixture (same four file names as the release). */
    public static final String FIXTURE_RESOURCE_DIR = "/dev/atelier/ml/data/fashion-mnist-fixture/";

    /** Fixture sizes: balanced, 60 training and 20 test images per class. */
    public static final int FIXTURE_TRAIN_SIZE = 600;

    public static final int FIXTURE_TEST_SIZE = 200;

    private static final Logger LOG = LoggerFactory.getLogger(FashionMnist.class);

    private FashionMnist() {}

    /** How strictly {@link #read(Path, Verification)} checks the files. */
    public enum Verification {
        /** Structure, the official counts, and the official content SHA-256 of each file. */
        OFFICIAL,
        /** Structure only (magic numbers, 28x28, matching counts, labels 0..9): for subsets and fixtures. */
        STRUCTURE
    }

    /**
     * Resolves the data with the default search order ({@code dataDir} = the {@code --data} option, may
     * be null), downloading if needed, and loads it with official verification.
     *
     * @throws DataException if the data cannot be found, downloaded, read or verified
     */
    public static FashionMnistData load(Path dataDir) {
        return load(FashionMnistResolver.withDataDir(dataDir));
    }

    /** Resolves with the given resolver and loads with official verification. */
    public static FashionMnistData load(FashionMnistResolver resolver) {
        ResolvedSource source = resolver.resolve();
        FashionMnistData data = read(source.directory(), Verification.OFFICIAL);
        return new FashionMnistData(data.train(), data.test(), source.describe());
    }

    /**
     * Reads the four files from {@code dir}.
     *
     * @throws DataException naming the file and what to do if one is missing, damaged or (with {@link
     *     Verification#OFFICIAL}) not the official release
     */
    public static FashionMnistData read(Path dir, Verification verification) {
        String remedy = "; replace it with an intact copy (delete it so Atelier downloads it again, run "
                + "`sudo apt-get install --reinstall dataset-fashion-mnist`, or pass --data DIR with good files)";
        Source files = new Source() {
            @Override
            public InputStream open(FashionMnistFile file) throws IOException {
                return Files.newInputStream(dir.resolve(file.fileName()));
            }

            @Override
            public String name(FashionMnistFile file) {
                return dir.resolve(file.fileName()).toString();
            }
        };
        ImageDataset train =
                readSet(files, FashionMnistFile.TRAIN_IMAGES, FashionMnistFile.TRAIN_LABELS, verification, remedy);
        ImageDataset test =
                readSet(files, FashionMnistFile.TEST_IMAGES, FashionMnistFile.TEST_LABELS, verification, remedy);
        LOG.debug("read Fashion-MNIST from {}: {} train, {} test", dir, train.size(), test.size());
        return new FashionMnistData(train, test, dir.toString());
    }

    /**
     * The committed fixture: {@value #FIXTURE_TRAIN_SIZE} training and {@value #FIXTURE_TEST_SIZE} test
     * images, 10 % of each class, taken from the real data set (see {@code docs/data.md}). Its checksums
     * differ from the official files, so only the structure is verified. Loaded once, then shared.
     */
    public static FashionMnistData loadFixture() {
        FashionMnistData f = fixture;
        if (f == null) {
            synchronized (FashionMnist.class) {
                f = fixture;
                if (f == null) {
                    // not cached on failure, so a later call reports the same clear error again
                    f = readFixture();
                    fixture = f;
                }
            }
        }
        return f;
    }

    private static volatile FashionMnistData fixture;

    private static FashionMnistData readFixture() {
        String remedy =
                "; the fixture bundled in atelier-ml is damaged, regenerate it as described in " + "docs/data.md";
        Source resources = new Source() {
            @Override
            public InputStream open(FashionMnistFile file) throws IOException {
                InputStream in = FashionMnist.class.getResourceAsStream(FIXTURE_RESOURCE_DIR + file.fileName());
                if (in == null) {
                    throw new NoSuchFileException(name(file));
                }
                return in;
            }

            @Override
            public String name(FashionMnistFile file) {
                return "classpath:" + FIXTURE_RESOURCE_DIR + file.fileName();
            }
        };
        ImageDataset train = readSet(
                resources,
                FashionMnistFile.TRAIN_IMAGES,
                FashionMnistFile.TRAIN_LABELS,
                Verification.STRUCTURE,
                remedy);
        ImageDataset test = readSet(
                resources, FashionMnistFile.TEST_IMAGES, FashionMnistFile.TEST_LABELS, Verification.STRUCTURE, remedy);
        return new FashionMnistData(train, test, "fixture " + FIXTURE_RESOURCE_DIR);
    }

    /** Where the four files come from: a folder or the classpath. */
    private interface Source {
        InputStream open(FashionMnistFile file) throws IOException;

        String name(FashionMnistFile file);
    }

    private static ImageDataset readSet(
            Source source,
            FashionMnistFile imagesFile,
            FashionMnistFile labelsFile,
            Verification verification,
            String remedy) {
        IdxReader.Images images;
        IdxReader.Labels labels;
        try {
            try (InputStream in = source.open(imagesFile)) {
                images = IdxReader.readImages(in, source.name(imagesFile));
            }
            try (InputStream in = source.open(labelsFile)) {
                labels = IdxReader.readLabels(in, source.name(labelsFile));
            }
        } catch (NoSuchFileException e) {
            throw new DataException(e.getFile() + ": file not found" + remedy, e);
        } catch (IOException e) {
            throw new DataException("cannot read Fashion-MNIST: " + DataException.oneLine(e) + remedy, e);
        } catch (DataException e) {
            throw new DataException(e.getMessage() + remedy, e);
        }
        String imagesName = source.name(imagesFile);
        if (images.rows() != IMAGE_SIZE || images.cols() != IMAGE_SIZE) {
            throw new DataException(imagesName + ": images are " + images.rows() + "x" + images.cols()
                    + ", Fashion-MNIST images are 28x28" + remedy);
        }
        if (images.count() != labels.count()) {
            throw new DataException(imagesName + " has " + images.count() + " images but " + source.name(labelsFile)
                    + " has " + labels.count() + " labels" + remedy);
        }
        for (int i = 0; i < labels.count(); i++) {
            if (labels.labels()[i] >= CLASS_NAMES.size()) {
                throw new DataException(source.name(labelsFile) + ": label " + labels.labels()[i] + " at index " + i
                        + " is not a Fashion-MNIST class (0..9)" + remedy);
            }
        }
        if (verification == Verification.OFFICIAL) {
            checkOfficial(imagesFile, imagesName, images.count(), images.contentSha256(), remedy);
            checkOfficial(labelsFile, source.name(labelsFile), labels.count(), labels.contentSha256(), remedy);
        }
        return ImageDataset.adopt(images.pixels(), labels.labels(), IMAGE_SIZE, IMAGE_SIZE, CLASS_NAMES);
    }

    private static void checkOfficial(FashionMnistFile file, String name, int count, String sha256, String remedy) {
        if (count != file.count()) {
            throw new DataException(
                    name + " has " + count + " entries, the official file has " + file.count() + remedy);
        }
        if (!sha256.equals(file.contentSha256())) {
            throw new DataException(name + " does not match the official Fashion-MNIST release "
                    + "(SHA-256 of its decompressed content is " + sha256 + ", expected "
                    + file.contentSha256() + ")" + remedy);
        }
    }
}
