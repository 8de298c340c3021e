package dev.atelier.ml.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

class FixtureGeneratorTest {

    /** Manual: rewrites the committed fixture. See {@link FixtureGenerator}. */
    @Test
    @EnabledIfSystemProperty(named = "atelier.regenerateFixture", matches = "true")
    void regenerateCommittedFixture() throws Exception {
        FixtureGenerator.generate(FashionMnistResolver.SYSTEM_DIR, FixtureGenerator.TARGET);
        assertThat(FashionMnistResolver.missing(FixtureGenerator.TARGET)).isEmpty();
    }

    @Test
    void committedFixtureIsWhatTheGeneratorProducesFromTheRealData(@TempDir Path tmp) throws Exception {
        // The real data found as the product finds it (never downloaded here); when it is nowhere the
        // resolver's message, listing every place tried, fails the test (.ci/run installs the package).
        Path real =
                FashionMnistResolver.builder().download(false).build().resolve().directory();
        FixtureGenerator.generate(real, tmp);
        FashionMnistData regenerated = FashionMnist.read(tmp, FashionMnist.Verification.STRUCTURE);
        FashionMnistData committed = FashionMnist.loadFixture();
        assertSameContent(regenerated.train(), committed.train());
        assertSameContent(regenerated.test(), committed.test());
    }

    @Test
    void firstPerClassTakesTheEarliestImagesOfEachClassInFileOrder() {
        int[] labels = {2, 0, 0, 1, 2, 0, 1, 1, 2};
        ImageDataset data = ImageDataset.of(new byte[labels.length], labels, 1, 1, java.util.List.of("a", "b", "c"));
        assertThat(FixtureGenerator.firstPerClass(data, 2)).containsExactly(0, 1, 2, 3, 4, 6);
    }

    private static void assertSameContent(ImageDataset a, ImageDataset b) {
        assertThat(a.size()).isEqualTo(b.size());
        assertThat(a.labels()).isEqualTo(b.labels());
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.rawImage(i)).as("image %d", i).isEqualTo(b.rawImage(i));
        }
    }
}
