package dev.atelier.zo.firstorder;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.atelier.zo.model.Family;
import dev.atelier.zo.model.HfConfigReader;
import dev.atelier.zo.model.RandomCheckpoint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Training steps leave nothing behind in the model's manager: only parameters and optimizer state live there. */
class AdamTrainerMemoryTest {
    @Test
    void moreStepsDoNotGrowTheModelsManager() {
        var spec = new RandomCheckpoint.Spec(64, 32, 1, 2, 2, 16, 64, 16);
        var shapes = RandomCheckpoint.shapes(Family.GPT2, spec, true);
        var config = HfConfigReader.parse(RandomCheckpoint.config(Family.GPT2, spec, true));
        List<AdamTrainer.Example> data = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            data.add(new AdamTrainer.Example(new int[] {1, 5 + i, 20 + i, 40 + i}, 1));
        }
        int[] arrays = new int[13];
        try (NDManager m = NDManager.newBaseManager()) {
            DjlGpt2 model = new DjlGpt2(config, shapes, RandomCheckpoint.random(shapes, 1, 0.02), m);
            AdamTrainer.train(
                    model,
                    m,
                    data,
                    new AdamTrainer.Settings(12, 4, 1e-3f, 1e-4f, 1),
                    (done, total, loss, seconds) ->
                            arrays[done] = m.getManagedArrays().size());
        }
        // only the parameters live there (DJL's Adam keeps its state elsewhere); a step's
        // temporaries belong to its sub-manager, so the count never grows
        assertThat(arrays[1]).isEqualTo(shapes.size());
        assertThat(arrays[12]).isEqualTo(shapes.size());
    }
}
