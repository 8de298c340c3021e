package dev.atelier.cli.lm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.cli.CliRun;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code atelier lm eval|generate} against the transformers references kept in atelier-zo's test
 * resources (copies of shared/lm-refs).
 */
class LmCommandTest {
    static final Path REFS = Path.of("../atelier-zo/src/test/resources/lm-refs");
    static final Path WORDS_TOKENIZER = Path.of("../atelier-zo/src/test/resources/tokenizers/words-bos.json");

    @TempDir
    Path tmp;

    static String ids(JsonNode a) {
        return java.util.stream.StreamSupport.stream(a.spliterator(), false)
                .map(JsonNode::asText)
                .collect(Collectors.joining(","));
    }

    @Test
    void evalAndGenerateReproduceEveryReference() throws Exception {
        for (String name : new String[] {"tiny-gpt2", "tiny-opt", "tiny-llama"}) {
            Path dir = REFS.resolve(name);
            JsonNode ref =
                    new ObjectMapper().readTree(dir.resolve("reference.json").toFile());
            String rows = ids(ref.get("input_ids").get(0)) + ";"
                    + ids(ref.get("input_ids").get(1));
            Path logits = tmp.resolve(name + "-logits.safetensors");
            CliRun eval = CliRun.of(
                    "lm", "eval", "--model", dir.toString(), "--ids", rows, "--logits-out", logits.toString());
            assertThat(eval.exitCode()).as(eval.err()).isZero();
            assertThat(eval.out()).matches("loss [0-9.]+\\R");
            double loss = Double.parseDouble(eval.out().strip().substring("loss ".length()));
            assertThat(loss).isCloseTo(ref.get("loss").asDouble(), org.assertj.core.data.Offset.offset(1e-5));

            ParamSet written = Safetensors.read(logits);
            ParamSet expected = Safetensors.read(dir.resolve("reference.safetensors"));
            assertThat(written.get("logits").shape()).containsExactly(2, 12, 500);
            float[] got = written.get("logits").toFloats();
            float[] want = expected.get("logits").toFloats();
            for (int i = 0; i < want.length; i++) {
                assertThat(Math.abs(got[i] - want[i])).isLessThan(1e-4f);
            }

            CliRun gen = CliRun.of(
                    "lm",
                    "generate",
                    "--model",
                    dir.toString(),
                    "--ids",
                    ids(ref.get("greedy_prompt")),
                    "--max-new-tokens",
                    "8");
            assertThat(gen.exitCode()).as(gen.err()).isZero();
            assertThat(gen.out()).isEqualTo(ids(ref.get("greedy_output")) + System.lineSeparator());
        }
    }

    @Test
    void textGoesThroughTheFoldersTokenizer() throws Exception {
        Path dir = copy(REFS.resolve("tiny-llama"), tmp.resolve("llama-with-tokenizer"));
        Files.copy(WORDS_TOKENIZER, dir.resolve("tokenizer.json"));
        // the test tokenizer: lower-cases, splits on whitespace, prepends <s> = 1; "the"=2, "red"=4, "dress"=9
        CliRun byText = CliRun.of("lm", "eval", "--model", dir.toString(), "--text", "The red dress");
        CliRun byIds = CliRun.of("lm", "eval", "--model", dir.toString(), "--ids", "1,2,4,9");
        assertThat(byText.exitCode()).as(byText.err()).isZero();
        assertThat(byText.out()).isEqualTo(byIds.out());

        CliRun genIds =
                CliRun.of("lm", "generate", "--model", dir.toString(), "--ids", "1,2,4,9", "--max-new-tokens", "4");
        int[] out = Arrays.stream(genIds.out().strip().split(","))
                .mapToInt(Integer::parseInt)
                .toArray();
        assertThat(out).hasSize(8).startsWith(1, 2, 4, 9);
        JsonNode vocab = new ObjectMapper().readTree(WORDS_TOKENIZER.toFile()).at("/model/vocab");
        String[] words = new String[500];
        vocab.fields().forEachRemaining(e -> words[e.getValue().asInt()] = e.getKey());
        String expected =
                Arrays.stream(out, 1, out.length).mapToObj(i -> words[i]).collect(Collectors.joining(" "));
        CliRun genText = CliRun.of(
                "lm", "generate", "--model", dir.toString(), "--text", "The red dress", "--max-new-tokens", "4");
        assertThat(genText.exitCode()).as(genText.err()).isZero();
        assertThat(genText.out().strip()).isEqualTo(expected);
    }

    @Test
    void badInputsFailWithOneLine() {
        String llama = REFS.resolve("tiny-llama").toString();
        assertFails(CliRun.of("lm", "eval", "--model", llama, "--text", "hello"), "has no tokenizer.json");
        assertFails(CliRun.of("lm", "eval", "--model", llama, "--ids", "1,2,500"), "token id 500 is outside");
        assertFails(CliRun.of("lm", "eval", "--model", llama, "--ids", "1,2;;3,4"), "--ids row 2 is empty");
        assertFails(CliRun.of("lm", "eval", "--model", llama, "--ids", "1,x"), "'x' is not a token id");
        assertFails(CliRun.of("lm", "eval", "--model", llama, "--ids", "5;6"), "every row has a single token");
        assertFails(
                CliRun.of(
                        "lm",
                        "eval",
                        "--model",
                        llama,
                        "--ids",
                        "1,2;3,4,5",
                        "--logits-out",
                        tmp.resolve("l").toString()),
                "needs rows of equal length");
        assertFails(CliRun.of("lm", "generate", "--model", llama, "--ids", "1,2;3,4"), "takes one prompt");
        assertFails(CliRun.of("lm", "eval", "--model", tmp.toString(), "--ids", "1,2"), "no config.json");
        // different-length rows are fine for the loss
        assertThat(CliRun.of("lm", "eval", "--model", llama, "--ids", "1,2;3,4,5")
                        .exitCode())
                .isZero();
    }

    private static void assertFails(CliRun r, String message) {
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains(message);
        assertThat(r.out()).isEmpty();
    }

    private static Path copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        for (String f : new String[] {"config.json", "model.safetensors"}) {
            Files.copy(from.resolve(f), to.resolve(f));
        }
        return to;
    }
}
