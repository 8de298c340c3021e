package dev.atelier.zo.task;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The genus rule: which {@link Category} a definition's head noun names. A definition belongs to
 * a category when the phrases that are genus words
 * in its {@link #head} (longest match first, up to {@value #MAX_PHRASE} words, singular or {@link #plural}), each ending the head or followed by a connective such as "or" or a participle
 * (so a modifier like "stocking" in "a stocking weaver" is no genus), all name that one category.
 * Genus words are {@link Category#genusWords()} plus, per category, the WordNet lemmas whose every
 * noun sense lies in that category's tree ({@link #of}: "parka", "blazer", "tank top"; not "top",
 * which has senses outside the garment trees). Immutable, thread-safe.
 */
final class GenusWords {
    static final int WINDOW = 5;

    private static final Set<String> CONNECTIVES =
            Set.of("or", "and", "a", "an", "the", "also", "especially", "esp", "nor", "but", "etc", ",");
    private static final java.util.regex.Pattern CLAUSE = java.util.regex.Pattern.compile("[;.:()\\[\\]\"]");
    private static final java.util.regex.Pattern PLURAL_MARK =
            java.util.regex.Pattern.compile("^\\s*(n\\.\\s*)?pl\\.\\s*");
    private static final java.util.regex.Pattern COMMA_SPACES = java.util.regex.Pattern.compile("[^\\p{L}\\p{N},]+");
    private static final Set<String> ARTICLES = Set.of("a", "an", "the", "one", "any");
    private static final Set<String> KINDS =
            Set.of("kind", "sort", "type", "variety", "pair", "form", "style", "species", "sorts", "kinds");
    private static final Set<String> STOP = Set.of(
            "of",
            "in",
            "with",
            "for",
            "that",
            "which",
            "who",
            "worn",
            "used",
            "made",
            "to",
            "on",
            "by",
            "from",
            "at",
            "consisting",
            "having",
            "covering",
            "designed",
            "filled",
            "resembling",
            "like",
            "when",
            "where",
            "usually",
            "especially",
            "often",
            "formerly",
            "as",
            "into",
            "over",
            "under",
            "around",
            "about",
            "without",
            "see");
    static final int MAX_PHRASE = 3;

    /**
     * Hand-picked genus words that GCIDE also uses for things that are not worn (a flail's cap, a
     * brake shoe, a window sash, "uniform" the adjective, a scarf joint, a suit at law): a GCIDE
     * headword WordNet does not know needs a wear cue besides one of these.
     */
    static final Set<String> POLYSEMOUS = Set.of("cap", "shoe", "sash", "uniform", "scarf", "suit");

    private final Map<String, Category> forms;
    private final Set<String> lastWords;

    private GenusWords(Map<String, Category> forms) {
        this.forms = Map.copyOf(forms);
        Set<String> last = new java.util.HashSet<>();
        forms.keySet().forEach(f -> last.add(f.substring(f.lastIndexOf(' ') + 1)));
        this.lastWords = Set.copyOf(last);
    }

    /** Only the hand-picked {@link Category#genusWords()}. */
    static GenusWords handPicked() {
        return of(Map.of());
    }

    /**
     * Hand-picked words plus {@code unambiguousLemmas} (normalised lemma → its only category). A
     * form two categories claim is dropped from both.
     */
    static GenusWords of(Map<String, Category> unambiguousLemmas) {
        Map<String, Category> forms = new HashMap<>();
        Set<String> clash = new java.util.HashSet<>();
        for (Category c : Category.values()) {
            for (String g : c.genusWords()) {
                put(forms, clash, norm(g), c);
            }
        }
        unambiguousLemmas.forEach((l, c) -> {
            // one-letter and two-letter lemmas ("t", "pj") match too much ordinary text
            if (l.length() >= 3) {
                put(forms, clash, norm(l), c);
            }
        });
        clash.forEach(forms::remove);
        return new GenusWords(forms);
    }

    private static void put(Map<String, Category> forms, Set<String> clash, String word, Category c) {
        for (String form : new String[] {word, plural(word)}) {
            Category was = forms.putIfAbsent(form, c);
            if (was != null && was != c) {
                clash.add(form);
            }
        }
    }

    /** Lowercase words; hyphens and apostrophes join ("belt-formed" is one word, not "belt"). */
    static String norm(String text) {
        return GarmentItems.normalise(text.replace("-", "").replace("'", ""));
    }

    private static String singular(String form) {
        return form.endsWith("es")
                        && plural(form.substring(0, form.length() - 2)).equals(form)
                ? form.substring(0, form.length() - 2)
                : form.endsWith("s") ? form.substring(0, form.length() - 1) : form;
    }

    /** English plural by spelling: "-es" after s, x, z, ch, sh ("dresses", not "capes" from "cap"). */
    static String plural(String word) {
        boolean sibilant = word.endsWith("s")
                || word.endsWith("x")
                || word.endsWith("z")
                || word.endsWith("ch")
                || word.endsWith("sh");
        return sibilant ? word + "es" : word + "s";
    }

    /** How many surface forms (words, plurals) the rule knows. */
    int size() {
        return forms.size();
    }

    /** The category whose genus words head {@code definition}, or null when none or several do. */
    Category genus(String definition) {
        Set<Category> named = named(definition);
        return named.size() == 1 ? named.iterator().next() : null;
    }

    /** Every category a genus word in {@code definition}'s head names (several: the definition is ambiguous). */
    Set<Category> named(String definition) {
        return match(definition, false);
    }

    /**
     * Whether no genus word in {@code definition}'s head is one of the {@link #POLYSEMOUS}
     * hand-picked words ("The cap or coupling of a flail"), so the genus alone can be trusted.
     */
    boolean specific(String definition) {
        return !match(definition, true).isEmpty();
    }

    private Set<Category> match(String definition, boolean specificOnly) {
        String[] w = head(definition);
        Set<Category> found = java.util.EnumSet.noneOf(Category.class);
        for (int i = 0; i < w.length; ) {
            int len = Math.min(MAX_PHRASE, w.length - i);
            Category hit = null;
            for (; len >= 1; len--) {
                hit = forms.get(String.join(" ", Arrays.copyOfRange(w, i, i + len)));
                if (hit != null) {
                    break;
                }
            }
            if (hit == null) {
                i++;
                continue;
            }
            String next = i + len < w.length ? w[i + len] : null;
            if (next != null && !CONNECTIVES.contains(next) && !next.endsWith("ing") && !next.endsWith("ed")) {
                i += len; // "stocking weaver", "cloak button": a modifier, not the head noun
                continue;
            }
            String phrase = String.join(" ", Arrays.copyOfRange(w, i, i + len));
            if (specificOnly && (POLYSEMOUS.contains(phrase) || POLYSEMOUS.contains(singular(phrase)))) {
                return Set.of();
            }
            found.add(hit);
            i += len;
        }
        return found;
    }

    /**
     * The words where the genus can stand: in the first clause (up to ; . : or a parenthesis, after a leading "pl."),
     * after a leading article and any "kind of"-style
     * quantifier, up to the first preposition, participle or relative word ({@link #STOP}), at
     * most {@value #WINDOW} words. "A pocket in rear of trousers" has head [pocket]; "a coat of
     * paint" has head [] (a genus followed by "of" is a measure, not a kind).
     */
    static String[] head(String definition) {
        String clause = CLAUSE.split(PLURAL_MARK.matcher(definition).replaceFirst(""), 2)[0];
        // commas stay as "," words: they end a genus ("A broad belt, sometimes ...") but not the head
        // ("A stout, coarse shoe")
        String[] w = COMMA_SPACES
                .matcher(clause.toLowerCase(java.util.Locale.ROOT)
                        .replace("-", "")
                        .replace("'", "")
                        .replace(",", " , "))
                .replaceAll(" ")
                .strip()
                .split(" ");
        int i = 0;
        while (true) {
            if (i < w.length && ARTICLES.contains(w[i])) {
                i++;
            }
            if (i + 1 < w.length && KINDS.contains(w[i]) && w[i + 1].equals("of")) {
                i += 2;
                continue;
            }
            break;
        }
        int end = i;
        while (end < w.length && end - i < WINDOW && !STOP.contains(w[end])) {
            end++;
        }
        if (end < w.length && w[end].equals("of") && end > i) {
            end--; // "coat of paint", "bag of tricks": the word before "of" is not the genus
        }
        return Arrays.copyOfRange(w, i, end);
    }

    /** Whether a genus word's last word occurs in {@code text} (a cheap pre-filter before parsing senses). */
    boolean mayOccur(String text) {
        for (String w : GarmentItems.normalise(text).split(" ")) {
            if (lastWords.contains(w)) {
                return true;
            }
        }
        return false;
    }
}
