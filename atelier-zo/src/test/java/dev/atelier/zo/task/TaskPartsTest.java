package dev.atelier.zo.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wilson intervals, the genus rule, the Dirichlet store split and the JSONL reader. */
class TaskPartsTest {
    @TempDir
    Path dir;

    @Test
    void wilsonIntervalMatchesKnownValues() {
        Accuracy a = Accuracy.of(81, 263); // Wilson 95%: [0.2553, 0.3662] (p = 0.308)
        assertThat(a.low()).isCloseTo(0.2553, org.assertj.core.data.Offset.offset(5e-4));
        assertThat(a.high()).isCloseTo(0.3662, org.assertj.core.data.Offset.offset(5e-4));
        Accuracy zero = Accuracy.of(0, 10);
        assertThat(zero.low()).isZero();
        assertThat(zero.high()).isCloseTo(0.2775, org.assertj.core.data.Offset.offset(5e-4));
        assertThatThrownBy(() -> Accuracy.of(3, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void genusRuleNeedsExactlyOneCategoryNearTheStart() {
        assertThat(GarmentItems.genus("A short coat worn by soldiers.")).isEqualTo(Category.COAT);
        assertThat(GarmentItems.genus("Trousers made of corduroy cloth.")).isEqualTo(Category.TROUSER);
        assertThat(GarmentItems.genus("A coat of paint.")).isNull();
        assertThat(GarmentItems.genus("A shirt or a coat, worn loosely.")).isNull();
        assertThat(GarmentItems.genus("A stone wall built along the river bank by a coat"))
                .isNull();
        // the genus is the head noun of the first clause, after "a kind of"; a modifier is not
        assertThat(GarmentItems.genus("A kind of loose trousers worn over others."))
                .isEqualTo(Category.TROUSER);
        assertThat(GarmentItems.genus("A stocking weaver.")).isNull();
        assertThat(GarmentItems.genus("A pocket in rear of trousers")).isNull();
        assertThat(GarmentItems.genus("A broad belt, sometimes richly ornamented"))
                .isEqualTo(Category.BELT);
        assertThat(GarmentItems.genus("A stout, coarse shoe; a brogue.")).isEqualTo(Category.SHOE);
        assertThat(GarmentItems.genus("pl. Padded breeches.")).isEqualTo(Category.TROUSER);
        assertThat(GarmentItems.genus("Long dresses trailing on the floor")).isEqualTo(Category.DRESS);
        // "capes" is not the plural of "cap"
        assertThat(GarmentItems.genus("The sides or capes at the mouth of a river"))
                .isNull();
        assertThat(GenusWords.head("A cap. Specifically: a coif")).containsExactly("cap");
    }

    @Test
    void wordNetLemmasWhoseSensesAllLieInOneTreeBecomeGenusWords() {
        GenusWords g = GenusWords.of(java.util.Map.of("fedora", Category.HAT, "dinner jacket", Category.COAT));
        assertThat(g.genus("A soft felt fedora.")).isEqualTo(Category.HAT);
        assertThat(g.genus("A white dinner jacket or tuxedo")).isEqualTo(Category.COAT);
        assertThat(GarmentItems.genus("A soft felt fedora.")).isNull();
        // a polysemous hand-picked word alone is not specific; a WordNet-specific lemma is
        assertThat(g.specific("The cap or coupling of a flail")).isFalse();
        assertThat(g.specific("A soft felt fedora.")).isTrue();
        // a form two categories claim names neither
        GenusWords clash = GenusWords.of(java.util.Map.of("coat", Category.HAT));
        assertThat(clash.genus("A short coat")).isNull();
    }

    @Test
    void storeSplitIsDeterministicCompleteAndSkewedForSmallAlpha() {
        List<TaskItem> items = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            items.add(new TaskItem("item " + i, i % 10, "t", "g" + i));
        }
        var a = StoreSplit.split(items, 10, 8, 0.3, 42);
        var b = StoreSplit.split(items, 10, 8, 0.3, 42);
        assertThat(a).isEqualTo(b);
        assertThat(a).hasSize(8);
        var all = new HashSet<TaskItem>();
        a.forEach(all::addAll);
        assertThat(all).hasSize(400);
        assertThat(a.stream().mapToInt(List::size).sum()).isEqualTo(400);
        // α = 0.3: some store misses at least half of the categories; α = 1000: every store has all ten
        assertThat(a).anyMatch(s -> s.stream().map(TaskItem::label).distinct().count() <= 5);
        assertThat(StoreSplit.split(items, 10, 8, 1000, 42))
                .allMatch(s -> s.stream().map(TaskItem::label).distinct().count() == 10);
        assertThat(StoreSplit.split(items, 10, 8, 0.3, 43)).isNotEqualTo(a);
    }

    @Test
    void jsonlAcceptsBothFormsAndNamesTheBadLine() throws Exception {
        Path f = dir.resolve("notes.jsonl");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            b.append(
                    i % 2 == 0
                            ? "{\"text\": \"client asked about linen item " + i + "\", \"label\": \"dress\"}\n"
                            : "{\"prompt\": \"wool for winter " + i + "\", \"completion\": \" coat\"}\n");
        }
        b.append("\n");
        Files.writeString(f, b);
        TextTask t = JsonlTask.read(f);
        assertThat(t.labelWords()).containsExactly("dress", "coat");
        assertThat(t.train().size() + t.test().size()).isEqualTo(40);
        assertThat(t.train()).isNotEmpty();
        assertThat(t.test()).isNotEmpty();
        Files.writeString(f, "{\"text\": \"a\", \"label\": \"x\"}\n{\"text\": \"b\", \"label\": 3}\n");
        assertThatThrownBy(() -> JsonlTask.read(f)).hasMessage(f + ":2: \"label\" must be a string");
        Files.writeString(f, "{\"text\": \"a\", \"label\": \"x\"}\n{\"text\": \"b\", \"completion\": \"y\"}\n");
        assertThatThrownBy(() -> JsonlTask.read(f)).hasMessageContaining(":2: expected either");
        Files.writeString(f, "{\"text\": \"a\", \"label\": \"x\"}\nnot json\n");
        assertThatThrownBy(() -> JsonlTask.read(f)).hasMessageContaining(":2: not valid JSON");
        Files.writeString(f, "{\"text\": \"a\", \"label\": \"x\"}\n{\"text\": \"b\", \"label\": \"x\"}\n");
        assertThatThrownBy(() -> JsonlTask.read(f)).hasMessageContaining("at least two distinct labels");
    }
}
