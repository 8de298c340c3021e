package dev.atelier.zo.fed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.zo.model.CausalLm;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store's token rows: formats, cuts, the every-10th held-out rule and one-line refusals. */
class TokenRowsTest {
    @TempDir
    Path tmp;

    @Test
    void idsFilesAreReadInNameOrderCutAndSplitEveryTenth() throws Exception {
        StringBuilder a = new StringBuilder();
        for (int i = 0; i < 19; i++) {
            a.append(i).append(", ").append(i + 1).append(' ').append(i + 2).append('\n');
        }
        Files.writeString(tmp.resolve("a.ids"), a + "\n7\n"); // a blank line and a 1-token row are skipped
        Files.writeString(tmp.resolve("b.ids"), "1,2,3,4,5,6,7,8\n");
        Files.writeString(tmp.resolve("notes.txt"), "ignored");
        TokenRows rows = TokenRows.load(tmp, null, 48, 4);
        assertThat(rows.trainRows()).hasSize(18);
        assertThat(rows.heldOutRows()).hasSize(2);
        assertThat(rows.heldOutRows().get(0)).containsExactly(9, 10, 11); // position 9
        assertThat(rows.heldOutRows().get(1)).containsExactly(1, 2, 3, 4); // position 19: b.ids, cut to 4
        assertThat(rows.trainRows().get(0)).containsExactly(0, 1, 2);
    }

    @Test
    void badRowsAreRefusedNamingFileAndLine() throws Exception {
        Files.writeString(tmp.resolve("x.ids"), "1,2\n3,99\n");
        assertThatThrownBy(() -> TokenRows.load(tmp.resolve("x.ids"), null, 48, 8))
                .hasMessage("x.ids:2: token id 99 is outside [0, 48)");
        Files.writeString(tmp.resolve("y.ids"), "1,two\n");
        assertThatThrownBy(() -> TokenRows.load(tmp.resolve("y.ids"), null, 48, 8))
                .hasMessage("y.ids:1: 'two' is not a token id");
        Files.writeString(tmp.resolve("t.jsonl"), "{\"prompt\": \"a\", \"completion\": \"b\"}\n");
        assertThatThrownBy(() -> TokenRows.load(tmp.resolve("t.jsonl"), null, 48, 8))
                .hasMessageContaining("t.jsonl:1: text needs the model's tokenizer.json");
        Files.writeString(tmp.resolve("u.jsonl"), "{\"label\": \"coat\"}\n");
        assertThatThrownBy(() -> TokenRows.load(tmp.resolve("u.jsonl"), null, 48, 8))
                .hasMessage("u.jsonl:1: needs \"text\", or \"prompt\" and \"completion\"");
        assertThatThrownBy(() -> TokenRows.load(tmp.resolve("missing"), null, 48, 8))
                .hasMessageContaining("does not exist");
    }

    @Test
    void foreignBytesBrokenJsonAndWrongTypesSayWhatIsWrongOnTheirLine() throws Exception {
        Files.write(tmp.resolve("bin.ids"), new byte[] {'1', ',', '2', '\n', (byte) 0xff, (byte) 0xfe, '\n'});
        assertThatThrownBy(() -> TokenRows.load(tmp.resolve("bin.ids"), null, 48, 8))
                .hasMessageStartingWith("bin.ids:")
                .hasMessageEndingWith(": not UTF-8 text; save the file as UTF-8");
        Files.writeString(tmp.resolve("j.jsonl"), "{\"text\": \"a\"\n");
        assertThatThrownBy(() -> TokenRows.load(tmp.resolve("j.jsonl"), null, 48, 8))
                .hasMessageStartingWith("j.jsonl:1: not valid JSON (");
        Files.writeString(tmp.resolve("n.jsonl"), "{\"text\": 5}\n");
        assertThatThrownBy(() -> TokenRows.load(tmp.resolve("n.jsonl"), null, 48, 8))
                .hasMessage("n.jsonl:1: \"text\" must be a string");
        Files.writeString(tmp.resolve("a.jsonl"), "[1, 2]\n");
        assertThatThrownBy(() -> TokenRows.load(tmp.resolve("a.jsonl"), null, 48, 8))
                .hasMessage("a.jsonl:1: expected a JSON object");
        Files.writeString(tmp.resolve("long.ids"), "1,".repeat(TokenRows.MAX_LINE_CHARS / 2 + 1) + "1\n");
        assertThatThrownBy(() -> TokenRows.load(tmp.resolve("long.ids"), null, 48, 8))
                .hasMessageStartingWith("long.ids:1: a line of ")
                .hasMessageEndingWith("; split the text into rows");
    }

    @Test
    void evaluationIsTheMeanHeldOutLossAndNeedsHeldOutRows() throws Exception {
        CausalLm model = CausalLm.load(FedFixtures.model(tmp.resolve("m")));
        Path store = FedFixtures.store(tmp.resolve("s"), 1, 20, 3);
        TokenRows rows = TokenRows.load(store, null, 48, 12);
        StoreData.Evaluation e = rows.evaluate(model);
        assertThat(e.examples()).isEqualTo(2);
        double expected =
                (dev.atelier.zo.model.LmLoss.of(model, rows.heldOutRows().get(0))
                                        .nll()
                                + dev.atelier.zo.model.LmLoss.of(
                                                model, rows.heldOutRows().get(1))
                                        .nll())
                        / 22;
        assertThat(e.metrics().get("loss")).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
        TokenRows small = new TokenRows(rows.trainRows().subList(0, 5));
        assertThatThrownBy(() -> small.evaluate(model)).hasMessageContaining("fewer than 10 rows");
    }
}
