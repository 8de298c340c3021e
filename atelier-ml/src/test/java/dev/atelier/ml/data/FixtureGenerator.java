package dev.atelier.ml.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Builds the committed Fashion-MNIST fixture from the real data set.
 *
 * <p>Selection: for each class, the first {@value #TRAIN_PER_CLASS} training and {@value
 * #TEST_PER_CLASS} test images of that class in file order, kept in file order, so the fixture is
 * balanced and fully determined by the official files (no seed). Output: the four release file names,
 * written by {@link IdxWriter} (deterministic gzip).
 *
 * <p>Run it with {@code ./mvnw -pl atelier-ml -am test -Dtest=FixtureGeneratorTest
 * -Datelier.regenerateFixture=true -Dsurefire.failIfNoSpecifiedTests=false}, or call {@link
 * #main(String[])} with the source folder and the target folder.
 */
final class FixtureGenerator {

    static final int TRAIN_PER_CLASS = FashionMnist.FIXTURE_TRAIN_SIZE / 10;
    static final int TEST_PER_CLASS = FashionMnist.FIXTURE_TEST_SIZE / 10;

    /** Where the fixture lives, relative to the atelier-ml module folder. */
    static final Path TARGET = Path.of("src/main/resources" + FashionMnist.FIXTURE_RESOURCE_DIR);

    private FixtureGenerator() {}

    /** Arguments: [source folder with the official files] [target folder]. */
    public static void main(String[] args) throws IOException {
        Path source = args.length > 0 ? Path.of(args[0]) : FashionMnistResolver.SYSTEM_DIR;
        Path target = args.length > 1 ? Path.of(args[1]) : TARGET;
        generate(source, target);
        System.out.println("wrote the Fashion-MNIST fixture to " + target.toAbsolutePath());
    }

    /** Reads the official files from {@code sourceDir} and writes the fixture into {@code targetDir}. */
    static void generate(Path sourceDir, Path targetDir) throws IOException {
        FashionMnistData data = FashionMnist.read(sourceDir, FashionMnist.Verification.OFFICIAL);
        ImageDataset train = data.train().subset(firstPerClass(data.train(), TRAIN_PER_CLASS));
        ImageDataset test = data.test().subset(firstPerClass(data.test(), TEST_PER_CLASS));
        Files.createDirectories(targetDir);
        IdxWriter.writeImages(targetDir.resolve(FashionMnistFile.TRAIN_IMAGES.fileName()), train);
        IdxWriter.writeLabels(targetDir.resolve(FashionMnistFile.TRAIN_LABELS.fileName()), train.labels());
        IdxWriter.writeImages(targetDir.resolve(FashionMnistFile.TEST_IMAGES.fileName()), test);
        IdxWriter.writeLabels(targetDir.resolve(FashionMnistFile.TEST_LABELS.fileName()), test.labels());
    }

    /** Indices of the first {@code perClass} images of every class, ascending (file order). */
    static int[] firstPerClass(ImageDataset data, int perClass) {
        int[] taken = new int[data.numClasses()];
        int[] out = new int[perClass * data.numClasses()];
        int n = 0;
        for (int i = 0; i < data.size() && n < out.length; i++) {
            int label = data.label(i);
            if (taken[label] < perClass) {
                taken[label]++;
                out[n++] = i;
            }
        }
        if (n < out.length) {
            throw new IllegalStateException(
                    "some class has fewer than " + perClass + " images: " + Arrays.toString(taken));
        }
        return out;
    }
}
