package dev.atelier.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TrainSplitTest {

    @Property(tries = 200)
    void publicAndPrivateAreDisjointAndCoverTheTrainSet(
            @ForAll @IntRange(min = 0, max = 2000) int trainSize,
            @ForAll @IntRange(min = 0, max = 2000) int publicSize,
            @ForAll long seed) {
        int pub = Math.min(publicSize, trainSize);
        TrainSplit split = TrainSplit.of(trainSize, pub, seed);

        assertThat(split.publicSize()).isEqualTo(pub);
        assertThat(split.privateSize()).isEqualTo(trainSize - pub);
        int[] all = IntStream.concat(Arrays.stream(split.publicIndices()), Arrays.stream(split.privateIndices()))
                .sorted()
                .toArray();
        assertThat(all).isEqualTo(IntStream.range(0, trainSize).toArray());
        assertThat(split.publicIndices()).isSorted();
        assertThat(split.privateIndices()).isSorted();
    }

    @Test
    void sameSeedSameSplitDifferentSeedDifferentSplit() {
        assertThat(TrainSplit.of(60_000, 10_000, 7)).isEqualTo(TrainSplit.of(60_000, 10_000, 7));
        assertThat(TrainSplit.of(60_000, 10_000, 7)).isNotEqualTo(TrainSplit.of(60_000, 10_000, 8));
    }

    @Test
    void publicPartIsASpreadOutSampleNotAPrefix() {
        int[] pub = TrainSplit.of(60_000, 10_000, TrainSplit.DEFAULT_SEED).publicIndices();

        assertThat(pub[pub.length - 1]).isGreaterThan(50_000);
        assertThat(pub[0]).isLessThan(100);
    }

    @Test
    void tooLargePublicSizeIsRejectedWithAClearMessage() {
        assertThatThrownBy(() -> TrainSplit.of(600, 10_000, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("public split size 10000 must be between 0 and the 600 training images");
    }

    @Test
    void fixtureSplitsKeepImagesAndLabelsTogether() {
        FashionMnistData fixture = FashionMnist.loadFixture();

        DataSplits splits = fixture.splits(200, 3);

        assertThat(splits.publicTrain().size()).isEqualTo(200);
        assertThat(splits.privateTrain().size()).isEqualTo(400);
        assertThat(splits.test()).isSameAs(fixture.test());
        int[] privateIdx = splits.split().privateIndices();
        for (int k = 0; k < privateIdx.length; k += 37) {
            assertThat(splits.privateTrain().label(k)).isEqualTo(fixture.train().label(privateIdx[k]));
            assertThat(splits.privateTrain().rawImage(k))
                    .isEqualTo(fixture.train().rawImage(privateIdx[k]));
        }
    }

    @Test
    void defaultSplitIsTenThousandPublicImages() {
        TrainSplit split = TrainSplit.of(60_000, TrainSplit.DEFAULT_PUBLIC_SIZE, TrainSplit.DEFAULT_SEED);

        assertThat(split.publicSize()).isEqualTo(10_000);
        assertThat(split.privateSize()).isEqualTo(50_000);
    }
}
