package dev.atelier.zo.task;

import dev.atelier.zo.data.Gcide;
import dev.atelier.zo.data.GcideSenses;
import dev.atelier.zo.data.WordNet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Real definitions of garments, footwear and bags labelled with a {@link Category}:
 *
 * <ol>
 *   <li><b>WordNet</b>: every noun synset under a category's roots (hypernym pointers, instance
 *       pointers included); the nearest root wins (a T-shirt is a shirt in WordNet but its own
 *       root is nearer); a synset whose nearest roots belong to two categories is dropped. Text:
 *       the definition without examples.
 *   <li><b>GCIDE</b>: senses of noun entries ({@link GcideSenses}) whose genus, a category's
 *       genus word (or its plural) among the first {@value #GENUS_WINDOW} words and not followed
 *       by "of", names exactly one category. A headword that WordNet knows as a noun must have a
 *       WordNet sense in that same category (this drops "pelage: the coat of a mammal"), and one
 *       whose WordNet senses fall in two categories is dropped; a WordNet noun with no sense in
 *       any category passes only when one of its senses lies under WordNet's clothing or bag trees
 *       ({@link #WEARABLE_ROOTS}).
 *   <li>Texts under {@value #MIN_WORDS} words are dropped; duplicates (case and punctuation
 *       ignored) are kept once, WordNet first.
 * </ol>
 *
 * {@link Result#group} of an item is its headword, with every WordNet synonym mapped to its
 * synset's first lemma, so one garment's texts share a group. Stateless.
 */
public final class GarmentItems {
    static final int GENUS_WINDOW = 6;
    static final int MIN_WORDS = 3;

    /** WordNet's clothing and bag (container) trees: headwords under them may carry GCIDE senses of any category. */
    static final List<String> WEARABLE_ROOTS = List.of("03051540", "02773037");

    private static final java.util.regex.Pattern NON_WORD = java.util.regex.Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final List<String> ANY_GENUS = java.util.Arrays.stream(Category.values())
            .flatMap(c -> c.genusWords().stream())
            .toList();

    private GarmentItems() {}

    /**
     * Items, plus what pretraining must leave out: every item's normalised text, every headword
     * (lowercase) that produced an item, and the WordNet synsets used.
     */
    public record Result(List<TaskItem> items, Set<String> texts, Set<String> headwords, Set<String> synsets) {}

    public static Result build(Map<String, WordNet.Synset> nouns, Gcide gcide) {
        Map<String, Category> synsetCategory = categorise(nouns);
        Set<String> wearables = new HashSet<>();
        for (String root : WEARABLE_ROOTS) {
            for (String o : under(root, nouns)) {
                nouns.get(o).lemmas().forEach(l -> wearables.add(lemma(l)));
            }
        }
        Map<String, Set<Category>> lemmaCategories = new HashMap<>();
        Map<String, String> lemmaGroup = new HashMap<>();
        Set<String> wordnetLemmas = new HashSet<>();
        for (WordNet.Synset s : nouns.values()) {
            for (String l : s.lemmas()) {
                wordnetLemmas.add(lemma(l));
            }
        }
        synsetCategory.forEach((offset, c) -> {
            WordNet.Synset s = nouns.get(offset);
            for (String l : s.lemmas()) {
                lemmaCategories
                        .computeIfAbsent(lemma(l), k -> EnumSet.noneOf(Category.class))
                        .add(c);
                lemmaGroup.putIfAbsent(lemma(l), lemma(s.lemmas().getFirst()));
            }
        });
        Map<String, TaskItem> byText = new LinkedHashMap<>();
        Set<String> headwords = new HashSet<>();
        for (var e : synsetCategory.entrySet()) {
            WordNet.Synset s = nouns.get(e.getKey());
            String group = lemma(s.lemmas().getFirst());
            add(byText, new TaskItem(s.definition(), e.getValue().label(), "wordnet", group));
            s.lemmas().forEach(l -> headwords.add(lemma(l)));
        }
        for (Gcide.Entry entry : gcide.entries()) {
            String head = lemma(entry.headword());
            Set<Category> known = lemmaCategories.getOrDefault(head, Set.of());
            if (known.size() > 1) {
                continue;
            }
            String lower = entry.text().toLowerCase(Locale.ROOT);
            if (ANY_GENUS.stream().noneMatch(lower::contains)) {
                continue; // cannot hold a genus word: skip the (slow) sense parse
            }
            GcideSenses.Parsed parsed = GcideSenses.parse(entry.text());
            if (!parsed.noun()) {
                continue;
            }
            for (String sense : parsed.senses()) {
                Category c = genus(sense);
                if (c == null) {
                    continue;
                }
                boolean allowed = !wordnetLemmas.contains(head)
                        || known.contains(c)
                        || (known.isEmpty() && wearables.contains(head));
                if (!allowed) {
                    continue;
                }
                if (add(byText, new TaskItem(sense, c.label(), "gcide", lemmaGroup.getOrDefault(head, head)))) {
                    headwords.add(head);
                }
            }
        }
        return new Result(
                List.copyOf(byText.values()),
                Set.copyOf(byText.keySet()),
                Set.copyOf(headwords),
                Set.copyOf(synsetCategory.keySet()));
    }

    /** Text normalised for duplicate detection and pretraining exclusion: lowercase letters and digits, single spaces. */
    public static String normalise(String text) {
        return NON_WORD.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
    }

    /** WordNet or GCIDE headword as a lookup key: lowercase, spaces for underscores. */
    public static String lemma(String word) {
        return word.toLowerCase(Locale.ROOT).replace('_', ' ').strip();
    }

    /** The category whose genus word heads {@code sense}, or null when none or several do. */
    static Category genus(String sense) {
        String[] w = normalise(sense).split(" ");
        String window = " " + String.join(" ", java.util.Arrays.copyOf(w, Math.min(w.length, GENUS_WINDOW))) + " ";
        String next = " " + String.join(" ", java.util.Arrays.copyOf(w, Math.min(w.length, GENUS_WINDOW + 1))) + " ";
        Category found = null;
        for (Category c : Category.values()) {
            for (String g : c.genusWords()) {
                String n = normalise(g);
                for (String form : List.of(n, n + "s", n + "es")) {
                    int at = window.indexOf(" " + form + " ");
                    if (at >= 0 && !next.startsWith(" " + form + " of ", at)) {
                        if (found != null && found != c) {
                            return null;
                        }
                        found = c;
                    }
                }
            }
        }
        return found;
    }

    private static boolean add(Map<String, TaskItem> byText, TaskItem item) {
        String key = normalise(item.text());
        if (key.split(" ").length < MIN_WORDS || byText.containsKey(key)) {
            return false;
        }
        byText.put(key, item);
        return true;
    }

    /** Category of every synset under some root; nearest root wins, ties between categories dropped. */
    static Map<String, Category> categorise(Map<String, WordNet.Synset> nouns) {
        Map<String, Category> roots = new HashMap<>();
        for (Category c : Category.values()) {
            for (String r : c.wordnetRoots()) {
                if (!nouns.containsKey(r)) {
                    throw new dev.atelier.zo.data.DataException(
                            "data.noun: category " + c + " root synset " + r + " is missing (not WordNet 3.x?)");
                }
                roots.put(r, c);
            }
        }
        Map<String, Category> out = new LinkedHashMap<>();
        for (WordNet.Synset s : nouns.values()) {
            Category c = nearest(s.offset(), nouns, roots);
            if (c != null) {
                out.put(s.offset(), c);
            }
        }
        return out;
    }

    /** Offsets of {@code root} and every synset below it (hyponyms, through any path). */
    static Set<String> under(String root, Map<String, WordNet.Synset> nouns) {
        Map<String, List<String>> kids = new HashMap<>();
        nouns.values()
                .forEach(s -> s.hypernyms()
                        .forEach(h ->
                                kids.computeIfAbsent(h, k -> new ArrayList<>()).add(s.offset())));
        Set<String> out = new HashSet<>();
        ArrayDeque<String> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            String o = todo.pop();
            if (out.add(o)) {
                todo.addAll(kids.getOrDefault(o, List.of()));
            }
        }
        return out;
    }

    private static Category nearest(String start, Map<String, WordNet.Synset> nouns, Map<String, Category> roots) {
        Set<String> seen = new HashSet<>();
        Collection<String> level = List.of(start);
        while (!level.isEmpty()) {
            Set<Category> hit = EnumSet.noneOf(Category.class);
            List<String> up = new ArrayList<>();
            for (String o : level) {
                if (!seen.add(o)) {
                    continue;
                }
                Category c = roots.get(o);
                if (c != null) {
                    hit.add(c);
                } else if (nouns.containsKey(o)) {
                    up.addAll(nouns.get(o).hypernyms());
                }
            }
            if (!hit.isEmpty()) {
                return hit.size() == 1 ? hit.iterator().next() : null;
            }
            level = new ArrayDeque<>(up);
        }
        return null;
    }
}
