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
        var micro = new BaseLm.Settings(512, 32, 1, 2, 64, 64, 20, 8, 3e-3f, 5, true, 1);
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
                WordNet.DEFAULT_DIR, task.synsets(), task.headwords(), task.texts(), GarmentItems::normalise);
        assertThat(corpus.excluded()).isGreaterThanOrEqualTo(task.synsets().size());
        Set<String> texts = new HashSet<>();
        corpus.entries().forEach(e -> texts.add(GarmentItems.normalise(e.definition())));
        assertThat(task.texts()).noneMatch(texts::contains);
        assertThat(corpus.entries()).anyMatch(e -> !e.hypernymLemmas().isEmpty());
        // no task headword is an answer, neither as a synset's own word nor as a hypernym's
        assertThat(corpus.entries())
                .allMatch(e -> e.lemmas().stream().noneMatch(task.headwords()::contains)
                        && e.hypernymLemmas().stream().noneMatch(task.headwords()::contains));

        // rows: only answers the vocabulary spells (no [UNK] after the arrow), hypernym rows on request
        var entries = java.util.List.of(
                new PretrainText.Entry("a small dog", java.util.List.of("zzq pup", "puppy"), java.util.List.of("dog")),
                new PretrainText.Entry("a unknown thing", java.util.List.of("zzq"), java.util.List.of()));
        Set<String> vocab = Set.of("a", "small", "dog", "puppy", "-", ">", "unknown", "thing");
        assertThat(BaseLm.rows(entries, vocab, true))
                .extracting(r -> r.text())
                .containsExactly("a small dog -> puppy", "a small dog -> dog");
        assertThat(BaseLm.rows(entries, vocab, false))
                .extracting(r -> r.text())
                .containsExactly("a small dog -> puppy");
    }

    /** The default settings on Debian's data packages find the base LM Atelier ships, and install it without pretraining. */
    @Test
    void theDefaultBaseLmShipsAndInstallsIntoAnEmptyCache() throws Exception {
        Prerequisite.require(WordNet.present(WordNet.DEFAULT_DIR), "WordNet missing: apt-get install wordnet-base");
        Prerequisite.require(Gcide.present(Gcide.DEFAULT_DIR), "GCIDE missing: apt-get install dict-gcide");
        String name = "base-lm-" + BaseLm.key(WordNet.DEFAULT_DIR, Gcide.DEFAULT_DIR, BaseLm.Settings.DEFAULT);
        assertThat(BaseLm.class.getResource(BaseLm.SHIPPED + name + "/model.safetensors"))
                .as(
                        "a shipped copy for the default key %s: after changing BaseLm.Settings.DEFAULT or FORMAT, pretrain"
                                + " with `atelier zo pretrain --no-shipped` and ship the new folder",
                        name)
                .isNotNull();
        var log = new ByteArrayOutputStream();
        BaseLm.Built b = BaseLm.getOrPretrain(
                WordNet.DEFAULT_DIR, Gcide.DEFAULT_DIR, BaseLm.Settings.DEFAULT, cache, new PrintStream(log));
        assertThat(b.cached()).isTrue();
        assertThat(b.dir()).isEqualTo(cache.resolve(name));
        assertThat(log.toString()).contains("shipped with Atelier").doesNotContain("pretrain step");
        assertThat(b.rows()).isEqualTo(84414);
        try (var in = BaseLm.class.getResourceAsStream(BaseLm.SHIPPED + name + "/model.safetensors")) {
            assertThat(java.nio.file.Files.readAllBytes(b.dir().resolve("model.safetensors")))
                    .isEqualTo(in.readAllBytes());
        }
        CausalLm lm = CausalLm.load(b.dir());
        assertThat(lm.config().dims().vocabSize()).isEqualTo(BaseLm.Settings.DEFAULT.vocab());
        assertThat(cache.toFile().list()).containsExactly(name); // no temporary folder left behind
        // A key with no shipped copy is not installed.
        assertThat(BaseLm.installShipped("base-lm-000000000000", cache, cache.resolve("x")))
                .isFalse();
    }
}
