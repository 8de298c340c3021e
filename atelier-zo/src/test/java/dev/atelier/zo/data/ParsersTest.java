package dev.atelier.zo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WordNet lines and GCIDE entries parse as documented; bad input fails with file and line. */
class ParsersTest {
    @TempDir
    Path dir;

    @Test
    void wordnetLineGivesLemmasHypernymsDefinitionAndExamples() {
        String line = "04133789 06 n 01 sandal 0 002 @ 04199027 n 0000 ~ 02755529 n 0000 | a shoe consisting of a"
                + " sole fastened by straps to the foot; \"she wore sandals\"  ";
        WordNet.Synset s = WordNet.parse(line);
        assertThat(s.offset()).isEqualTo("04133789");
        assertThat(s.lemmas()).containsExactly("sandal");
        assertThat(s.hypernyms()).containsExactly("04199027");
        assertThat(s.definition()).isEqualTo("a shoe consisting of a sole fastened by straps to the foot");
        assertThat(s.examples()).containsExactly("she wore sandals");
    }

    @Test
    void badWordnetLineNamesFileAndLine() throws Exception {
        Files.writeString(dir.resolve("data.noun"), "  licence header\n04133789 06 n 05 sandal 0 | gloss\n");
        assertThatThrownBy(() -> WordNet.read(dir, "noun"))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("data.noun:2: not a WordNet data line");
        assertThatThrownBy(() -> WordNet.read(dir, "verb"))
                .hasMessageContaining("install the Debian package wordnet-base");
    }

    @Test
    void gcideSensesSplitNumbersLettersAndDropQuotations() {
        String entry = "Sandal \\San\"dal\\, n. [F. sandale, L. sandalium.]\n"
                + "   (a) A kind of shoe consisting of a sole strapped to the foot.\n"
                + "   (b) A kind of slipper.\n"
                + "       [1913 Webster]\n\n"
                + "         Sails of silk and ropes of sandal.       --Longfellow.\n"
                + "   [1913 Webster]\n\n"
                + "   2. (Zool.) A shoe worn in the sea; as, a sea sandal.\n";
        GcideSenses.Parsed p = GcideSenses.parse(entry);
        assertThat(p.noun()).isTrue();
        assertThat(p.senses())
                .containsExactly(
                        "A kind of shoe consisting of a sole strapped to the foot.",
                        "A kind of slipper.",
                        "A shoe worn in the sea");
        assertThat(GcideSenses.parse("Boot \\Boot\\, v. t. To put boots on.").noun())
                .isFalse();
    }

    @Test
    void gcideIndexNumbersAreDictdBase64AndCheckedAgainstTheData() throws Exception {
        assertThat(Gcide.decode("B", dir, 1)).isEqualTo(1);
        assertThat(Gcide.decode("BA", dir, 1)).isEqualTo(64);
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(dir.resolve("gcide.dict.dz")))) {
            out.write("Coat, n. An outer garment.".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Files.writeString(dir.resolve("gcide.index"), "00-database-info\tA\tB\nCoat\tA\ta\n");
        assertThat(Gcide.read(dir).entries()).containsExactly(new Gcide.Entry("Coat", "Coat, n. An outer garment."));
        Files.writeString(dir.resolve("gcide.index"), "Coat\tA\tBA\n");
        assertThatThrownBy(() -> Gcide.read(dir)).hasMessageContaining("gcide.index:1: entry [0, 64) lies beyond");
        Files.writeString(dir.resolve("gcide.index"), "Coat\tA*\ta\n");
        assertThatThrownBy(() -> Gcide.read(dir)).hasMessageContaining("gcide.index:1: 'A*' is not a dictd base-64");
    }
}
