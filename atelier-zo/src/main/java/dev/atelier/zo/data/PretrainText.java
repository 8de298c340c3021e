package dev.atelier.zo.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The base LM's pretraining text: the definition of every WordNet synset (nouns, verbs,
 * adjectives, adverbs) followed by its first lemma, in a row format the caller gives (the task's
 * prompt format), minus everything a task uses: synsets in {@code excludedSynsets}, synsets with
 * any lemma in {@code excludedHeadwords} (lowercase, spaces), and definitions whose normalised
 * text is in {@code excludedTexts}. GCIDE is not pretrained on (its parse is slow and its task
 * senses would need the same exclusion). Rows come in file order (noun, verb, adj, adv).
 * Stateless.
 */
public final class PretrainText {
    private PretrainText() {}

    /** Rows and how many synsets the exclusion removed. */
    public record Corpus(List<String> rows, int excluded) {}

    public static Corpus wordnet(
            Path dir,
            Set<String> excludedSynsets,
            Set<String> excludedHeadwords,
            Set<String> excludedTexts,
            Function<String, String> normalise,
            BiFunction<String, String, String> row)
            throws IOException {
        List<String> rows = new ArrayList<>();
        int excluded = 0;
        for (String pos : List.of("noun", "verb", "adj", "adv")) {
            for (WordNet.Synset s : WordNet.read(dir, pos).values()) {
                boolean skip = (pos.equals("noun") && excludedSynsets.contains(s.offset()))
                        || s.lemmas().stream()
                                .anyMatch(l -> excludedHeadwords.contains(
                                        l.toLowerCase(Locale.ROOT).replace('_', ' ')))
                        || excludedTexts.contains(normalise.apply(s.definition()));
                if (skip) {
                    excluded++;
                } else if (!s.definition().isBlank()) {
                    rows.add(row.apply(s.definition(), s.headword()));
                }
            }
        }
        return new Corpus(List.copyOf(rows), excluded);
    }
}
