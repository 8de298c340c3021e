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
 *   <li><b>WordNet trees</b>: every noun synset under a category's roots (hypernym pointers,
 *       instance pointers included); the nearest root wins (a T-shirt is a shirt in WordNet but
 *       its own root is nearer); a synset whose nearest roots belong to two categories is
 *       dropped. Text: the definition without examples.
 *   <li><b>WordNet genus</b>: a synset under WordNet's clothing or bag trees ({@link
 *       #WEARABLE_ROOTS}) but under no category root, whose definition's genus ({@link
 *       GenusWords}) names exactly one category ("mantle: a loose sleeveless cloak" → Coat),
 *       unless one of its lemmas lies in another category's tree.
 *   <li><b>GCIDE genus</b>: senses of noun entries ({@link GcideSenses}) whose genus names exactly
 *       one category. A headword that WordNet knows as a noun must have a WordNet sense in that
 *       same category (this drops "pelage: the coat of a mammal"), and one whose WordNet senses
 *       fall in two categories is dropped; a WordNet noun with no sense in any category passes
 *       only when one of its senses lies under the clothing or bag trees. A headword WordNet does
 *       not know needs a genus that is an unambiguous WordNet lemma ("fedora") or a wear cue
 *       ({@link #WEAR_CUES}) in the sense: "The cap or coupling of a flail" is dropped.
 *   <li><b>GCIDE headword</b>: a sense without any genus word, of a headword every WordNet noun
 *       categorised WordNet sense of which lies in one category's tree, when the sense is headed by a
 *       generic genus ({@link #GENERIC_GENERA}: "boot: A covering for the foot" is not, "coat: An
 *       outer garment fitting the upper part of the body" is) and the entry is the headword's own.
 *   <li>Texts under {@value #MIN_WORDS} words are dropped; duplicates (case and punctuation
 *       ignored) are kept once, in rule order.
 * </ol>
 *
 * {@link Result#group} of an item is its headword, with every WordNet synonym mapped to its
 * synset's first lemma, so one garment's texts share a group. How many candidates the ambiguity
 * rules dropped is {@link Result#dropped}. Stateless.
 */
public final class GarmentItems {
    static final int MIN_WORDS = 3;

    private static final java.util.regex.Pattern NON_WORD = java.util.regex.Pattern.compile("[^\\p{L}\\p{N}]+");

    /** WordNet's clothing and bag (container) trees: headwords under them may carry GCIDE senses of any category. */
    static final List<String> WEARABLE_ROOTS = List.of("03051540", "02773037");

    /**
     * Generic genus words: a definition headed by one ("An outer garment fitting the upper part of
     * the body") says what kind of thing its headword is without naming a category, so rule 4
     * takes the category from the headword.
     */
    static final Set<String> GENERIC_GENERA = Set.of(
            "garment",
            "garments",
            "undergarment",
            "overgarment",
            "vestment",
            "clothing",
            "clothes",
            "apparel",
            "footwear",
            "sack",
            "case",
            "pouch",
            "receptacle");

    /** Words that mark a definition as one of a worn or carried thing (see {@link #build}, rule 3). */
    static final Set<String> WEAR_CUES = Set.of(
            "worn",
            "wear",
            "wears",
            "wearing",
            "wearer",
            "garment",
            "garments",
            "clothing",
            "clothes",
            "attire",
            "apparel",
            "dress",
            "costume",
            "foot",
            "feet",
            "head",
            "neck",
            "waist",
            "hand",
            "hands",
            "carrying",
            "carried",
            "carry");

    private GarmentItems() {}

    /**
     * Items, plus what pretraining must leave out: every item's normalised text, every headword
     * (lowercase) that produced an item, and the WordNet synsets used; and how many candidates the
     * ambiguity rules dropped.
     */
    public record Result(
            List<TaskItem> items, Set<String> texts, Set<String> headwords, Set<String> synsets, Dropped dropped) {}

    /**
     * Candidates dropped because their category is unclear: WordNet synsets whose nearest roots lie
     * in two categories; definitions (WordNet or GCIDE) whose genus words name two categories; GCIDE
     * senses whose headword's WordNet senses lie in two categories, or in another category than the
     * sense's genus, or outside every garment and bag tree.
     */
    public record Dropped(int wordnetTwoRoots, int twoGenera, int headwordConflict) {
        public int total() {
            return wordnetTwoRoots + twoGenera + headwordConflict;
        }
    }

    public static Result build(Map<String, WordNet.Synset> nouns, Gcide gcide) {
        Map<String, Category> roots = roots(nouns);
        Map<String, Category> synsetCategory = new LinkedHashMap<>();
        int twoRoots = 0;
        for (WordNet.Synset s : nouns.values()) {
            Set<Category> c = nearest(s.offset(), nouns, roots);
            if (c.size() == 1) {
                synsetCategory.put(s.offset(), c.iterator().next());
            } else if (c.size() > 1) {
                twoRoots++;
            }
        }
        Set<String> wearableSynsets = new HashSet<>();
        WEARABLE_ROOTS.forEach(r -> wearableSynsets.addAll(under(r, nouns)));
        Set<String> wearables = new HashSet<>();
        wearableSynsets.forEach(o -> nouns.get(o).lemmas().forEach(l -> wearables.add(lemma(l))));
        Map<String, Set<Category>> lemmaCategories = new HashMap<>();
        Map<String, String> lemmaGroup = new HashMap<>();
        Set<String> wordnetLemmas = new HashSet<>();
        Set<String> lemmasOutside = new HashSet<>();
        for (WordNet.Synset s : nouns.values()) {
            for (String l : s.lemmas()) {
                wordnetLemmas.add(lemma(l));
                if (!synsetCategory.containsKey(s.offset())) {
                    lemmasOutside.add(lemma(l));
                }
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
        // lemmas every noun sense of which lies in one category's tree: genus words, and rule 4's headwords
        Map<String, Category> unambiguous = new HashMap<>();
        lemmaCategories.forEach((l, cs) -> {
            if (cs.size() == 1 && !lemmasOutside.contains(l)) {
                unambiguous.put(l, cs.iterator().next());
            }
        });
        GenusWords genus = GenusWords.of(unambiguous);
        Map<String, TaskItem> byText = new LinkedHashMap<>();
        Set<String> headwords = new HashSet<>();
        Set<String> synsets = new HashSet<>(synsetCategory.keySet());
        for (var e : synsetCategory.entrySet()) {
            WordNet.Synset s = nouns.get(e.getKey());
            String group = lemma(s.lemmas().getFirst());
            add(byText, new TaskItem(s.definition(), e.getValue().label(), "wordnet", group));
            s.lemmas().forEach(l -> headwords.add(lemma(l)));
        }
        int twoGenera = 0;
        int conflict = 0;
        // rule 2: clothing and bag synsets outside every category tree, by the genus of their definition
        for (String offset : wearableSynsets) {
            if (synsetCategory.containsKey(offset)) {
                continue;
            }
            WordNet.Synset s = nouns.get(offset);
            Set<Category> named = genus.named(s.definition());
            if (named.size() > 1) {
                twoGenera++;
                continue;
            }
            if (named.isEmpty()) {
                continue;
            }
            Category c = named.iterator().next();
            boolean clash = s.lemmas().stream()
                    .anyMatch(l -> !lemmaCategories
                            .getOrDefault(lemma(l), EnumSet.of(c))
                            .equals(EnumSet.of(c)));
            if (clash) {
                conflict++;
                continue;
            }
            String group = lemma(s.lemmas().getFirst());
            if (add(byText, new TaskItem(s.definition(), c.label(), "wordnet", group))) {
                synsets.add(offset);
                for (String l : s.lemmas()) {
                    headwords.add(lemma(l));
                    lemmaCategories
                            .computeIfAbsent(lemma(l), k -> EnumSet.noneOf(Category.class))
                            .add(c);
                    lemmaGroup.putIfAbsent(lemma(l), group);
                }
            }
        }
        for (Gcide.Entry entry : gcide.entries()) {
            String head = lemma(entry.headword());
            Set<Category> known = lemmaCategories.getOrDefault(head, Set.of());
            Category headCategory = known.size() == 1 ? known.iterator().next() : null;
            if (headCategory == null && !genus.mayOccur(entry.text())) {
                continue; // cannot hold a genus word: skip the (slow) sense parse
            }
            GcideSenses.Parsed parsed = GcideSenses.parse(entry.text());
            if (!parsed.noun()) {
                continue;
            }
            for (String sense : parsed.senses()) {
                Set<Category> named = genus.named(sense);
                Category c;
                if (named.size() > 1) {
                    twoGenera++;
                    continue;
                } else if (named.size() == 1) {
                    c = named.iterator().next();
                } else if (headCategory != null && generic(sense) && ownEntry(entry)) {
                    c = headCategory; // rule 4
                } else {
                    continue;
                }
                // a headword WordNet does not know needs a specific genus or a wear cue: "cap" alone
                // also heads "The cap or coupling of a flail"
                boolean allowed = known.size() <= 1
                        && (wordnetLemmas.contains(head)
                                ? known.contains(c) || (known.isEmpty() && wearables.contains(head))
                                : genus.specific(sense) || cued(sense));
                if (!allowed) {
                    conflict++;
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
                Set.copyOf(synsets),
                new Dropped(twoRoots, twoGenera, conflict));
    }

    /**
     * Whether the entry's headline names the index headword: GCIDE's index also points phrases
     * ("trunk hose") at their parent's entry ("Trunk"), whose senses are not about the phrase.
     */
    private static boolean ownEntry(Gcide.Entry entry) {
        String t = entry.text().strip();
        int cut = t.indexOf('\\');
        if (cut < 0) {
            cut = Math.min(t.length(), t.indexOf(',') < 0 ? t.length() : t.indexOf(','));
        }
        return normalise(t.substring(0, cut)).equals(normalise(entry.headword()));
    }

    private static boolean cued(String sense) {
        for (String w : normalise(sense).split(" ")) {
            if (WEAR_CUES.contains(w)) {
                return true;
            }
        }
        return false;
    }

    private static boolean generic(String sense) {
        for (String w : GenusWords.head(sense)) {
            if (GENERIC_GENERA.contains(w)) {
                return true;
            }
        }
        return false;
    }

    /** Text normalised for duplicate detection and pretraining exclusion: lowercase letters and digits, single spaces. */
    public static String normalise(String text) {
        return NON_WORD.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
    }

    /** WordNet or GCIDE headword as a lookup key: lowercase, spaces for underscores. */
    public static String lemma(String word) {
        return word.toLowerCase(Locale.ROOT).replace('_', ' ').strip();
    }

    /** The category the hand-picked genus words alone give {@code sense} (see {@link GenusWords}). */
    static Category genus(String sense) {
        return GenusWords.handPicked().genus(sense);
    }

    private static boolean add(Map<String, TaskItem> byText, TaskItem item) {
        String key = normalise(item.text());
        if (key.split(" ").length < MIN_WORDS || byText.containsKey(key)) {
            return false;
        }
        byText.put(key, item);
        return true;
    }

    /** Root synset offset → its category; a missing root (not WordNet 3.x) fails. */
    static Map<String, Category> roots(Map<String, WordNet.Synset> nouns) {
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
        return roots;
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

    /** The categories of the nearest roots above {@code start} (empty: under none; two or more: ambiguous). */
    private static Set<Category> nearest(String start, Map<String, WordNet.Synset> nouns, Map<String, Category> roots) {
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
                return hit;
            }
            level = new ArrayDeque<>(up);
        }
        return Set.of();
    }
}
