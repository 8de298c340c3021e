package dev.atelier.zo.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RandomCheckpointTest {
    @TempDir
    Path tmp;

    /** The presets' configs parse and have the published parameter counts of those models. */
    @ParameterizedTest
    @CsvSource({"gpt2-124m, 124439808", "opt-125m, 125239296", "smollm-135m, 134515008"})
    void presetsHaveThePublishedParameterCounts(String id, long published) {
        var p = RandomCheckpoint.Preset.of(id);
        LmConfig c = HfConfigReader.parse(RandomCheckpoint.config(p.family, p.spec, p.tied));
        assertThat(c.parameterCount()).isEqualTo(published);
        long fromShapes = RandomCheckpoint.shapes(p.family, p.spec, p.tied).values().stream()
                .mapToLong(s -> {
                    long n = 1;
                    for (int d : s) {
                        n *= d;
                    }
                    return n;
                })
                .sum();
        assertThat(fromShapes).isEqualTo(published);
    }

    @Test
    void sameSeedSameWeights() throws Exception {
        var spec = new RandomCheckpoint.Spec(40, 16, 1, 2, 1, 8, 24, 8);
        var shapes = RandomCheckpoint.shapes(Family.LLAMA, spec, false);
        var config = RandomCheckpoint.config(Family.LLAMA, spec, false);
        CausalLm a = CausalLm.load(
                RandomCheckpoint.write(tmp.resolve("a"), config, shapes, RandomCheckpoint.random(shapes, 4, 0.02)));
        CausalLm b = CausalLm.load(
                RandomCheckpoint.write(tmp.resolve("b"), config, shapes, RandomCheckpoint.random(shapes, 4, 0.02)));
        CausalLm c = CausalLm.load(
                RandomCheckpoint.write(tmp.resolve("c"), config, shapes, RandomCheckpoint.random(shapes, 5, 0.02)));
        int[] ids = {1, 2, 3};
        assertThat(a.logits(ids)).containsExactly(b.logits(ids));
        assertThat(a.logits(ids)).isNotEqualTo(c.logits(ids));
    }
}
