package dev.atelier.zo.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The base LM's pretraining text: every WordNet synset (nouns, verbs, adjectives, adverbs) with
 * its definition, its lemmas and, for nouns, the lemmas of its first noun hypernym, minus
 * everything a task uses: synsets in {@code excludedSynsets}, synsets with any lemma in
 * {@code excludedHeadwords} (lowercase, spaces), and definitions whose normalised text is in
 * {@code excludedTexts}. A hypernym that is itself excluded gives no hypernym lemmas, so no task
 * headword becomes an answer either. The caller turns entries into rows (which answer words its
 * vocabulary can spell). GCIDE is not pretrained on (its parse is slow and its task senses would
 * need the same exclusion). Entries come in file order (noun, verb, adj, adv). Stateless.
 */
public final class PretrainText {
    private PretrainText() {}

    /** One synset's definition, its lemmas and its first hypernym's lemmas (spaces for {@code _}). */
    public record Entry(String definition, List<String> lemmas, List<String> hypernymLemmas) {
        public Entry {
            lemmas = List.copyOf(lemmas);
            hypernymLemmas = List.copyOf(hypernymLemmas);
        }
    }

    /** Entries and how many synsets the exclusion removed. */
    public record Corpus(List<Entry> entries, int excluded) {}

    public static Corpus wordnet(
            Path dir,
            Set<String> excludedSynsets,
            Set<String> excludedHeadwords,
            Set<String> excludedTexts,
            Function<String, String> normalise)
            throws IOException {
        Map<String, Map<String, WordNet.Synset>> byPos = new HashMap<>();
        for (String pos : List.of("noun", "verb", "adj", "adv")) {
            byPos.put(pos, WordNet.read(dir, pos));
        }
        Map<String, WordNet.Synset> nouns = byPos.get("noun");
        List<Entry> entries = new ArrayList<>();
        int excluded = 0;
        for (String pos : List.of("noun", "verb", "adj", "adv")) {
            for (WordNet.Synset s : byPos.get(pos).values()) {
                boolean noun = pos.equals("noun");
                if (excluded(s, noun, excludedSynsets, excludedHeadwords, excludedTexts, normalise)) {
                    excluded++;
                } else if (!s.definition().isBlank()) {
                    List<String> hyper = List.of();
                    if (noun && !s.hypernyms().isEmpty()) {
                        WordNet.Synset h = nouns.get(s.hypernyms().getFirst());
                        if (h != null
                                && !excluded(h, true, excludedSynsets, excludedHeadwords, excludedTexts, normalise)) {
                            hyper = spaced(h.lemmas());
                        }
                    }
                    entries.add(new Entry(s.definition(), spaced(s.lemmas()), hyper));
                }
            }
        }
        return new Corpus(List.copyOf(entries), excluded);
    }

    private static boolean excluded(
            WordNet.Synset s,
            boolean noun,
            Set<String> excludedSynsets,
            Set<String> excludedHeadwords,
            Set<String> excludedTexts,
            Function<String, String> normalise) {
        return (noun && excludedSynsets.contains(s.offset()))
                || s.lemmas().stream()
                        .anyMatch(l -> excludedHeadwords.contains(
                                l.toLowerCase(Locale.ROOT).replace('_', ' ')))
                || excludedTexts.contains(normalise.apply(s.definition()));
    }

    private static List<String> spaced(List<String> lemmas) {
        return lemmas.stream().map(l -> l.replace('_', ' ')).toList();
    }
}
