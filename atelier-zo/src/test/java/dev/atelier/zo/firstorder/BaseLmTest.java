package dev.atelier.zo.firstorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.testing.Prerequisite;
import dev.atelier.zo.data.Gcide;
import dev.atelier.zo.data.PretrainText;
import dev.atelier.zo.data.WordNet;
import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.LmTokenizer;
import dev.atelier.zo.task.GarmentItems;
import dev.atelier.zo.task.GarmentTask;
import dev.atelier.zo.task.Prompt;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A micro base LM pretrains on the real WordNet text into the cache, loads in the product, and is then reused. */
class BaseLmTest {
    @TempDir
    Path cache;

    @Test
    void pretrainsCachesAndLeavesTheTaskOut() throws Exception {
        Prerequisite.require(WordNet.present(WordNet.DEFAULT_DIR), "WordNet missing: apt-get install wordnet-base");
        Prerequisite.require(Gcide.present(Gcide.DEFAULT_DIR), "GCIDE missing: apt-get install dict-gcide");
        var micro = new BaseLm.Settings(512, 32, 1, 2, 64, 64, 20, 8, 3e-3f, 1);
        var log = new ByteArrayOutputStream();
        BaseLm.Built b =
                BaseLm.getOrPretrain(WordNet.DEFAULT_DIR, Gcide.DEFAULT_DIR, micro, cache, new PrintStream(log));
        assertThat(b.cached()).isFalse();
        assertThat(log.toString()).contains("pretrain step 20/20", "ETA");
        CausalLm lm = CausalLm.load(b.dir());
        assertThat(lm.config().dims().vocabSize()).isEqualTo(512);
        try (LmTokenizer tok = LmTokenizer.find(b.dir()).orElseThrow()) {
            int[] ids = tok.encode("a short coat -> jacket");
            assertThat(ids[0]).isEqualTo(2); // [BOS]
            assertThat(lm.logits(ids)).hasSize(ids.length * 512).doesNotContain(Float.NaN);
        }
        BaseLm.Built again = BaseLm.getOrPretrain(WordNet.DEFAULT_DIR, Gcide.DEFAULT_DIR, micro, cache, System.err);
        assertThat(again.cached()).isTrue();
        assertThat(again.dir()).isEqualTo(b.dir());

        // the pretraining text holds no task text and no task headword's definition
        GarmentItems.Result task =
                GarmentTask.load(WordNet.DEFAULT_DIR, Gcide.DEFAULT_DIR).items();
        var corpus = PretrainText.wordnet(
                WordNet.DEFAULT_DIR,
                task.synsets(),
                task.headwords(),
                task.texts(),
                GarmentItems::normalise,
                Prompt::row);
        Set<String> rows = new HashSet<>();
        corpus.rows().forEach(r -> rows.add(GarmentItems.normalise(r.substring(0, r.lastIndexOf(Prompt.ARROW)))));
        assertThat(corpus.excluded()).isGreaterThanOrEqualTo(task.synsets().size());
        assertThat(task.texts()).noneMatch(rows::contains);
        assertThat(corpus.rows())
                .noneMatch(r -> r.endsWith(Prompt.ARROW + " sandal") || r.endsWith(Prompt.ARROW + " sneaker"));
    }
}
