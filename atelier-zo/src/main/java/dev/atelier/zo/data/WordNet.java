package dev.atelier.zo.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Princeton WordNet 3.x {@code data.<pos>} files (Debian {@code wordnet-base}:
 * /usr/share/wordnet) into {@link Synset}s. Format per wndb(5WN): {@code offset lex_filenum ss_type
 * w_cnt(hex) word lex_id ... p_cnt ptr_symbol offset pos source/target ... [frames] | gloss}; lines
 * starting with two spaces are the licence header. Every other line must parse or the read fails
 * with {@code file:line: reason}. Stateless.
 */
public final class WordNet {
    /** Debian's install location. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/wordnet");

    private static final java.util.regex.Pattern ADJ_MARKER = java.util.regex.Pattern.compile("\\((a|p|ip)\\)$");
    private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile(" +");

    private WordNet() {}

    /**
     * One synset. {@code lemmas} keep WordNet's spelling with {@code _} for spaces and without the
     * adjective marker; {@code hypernyms} are the offsets of {@code @} and {@code @i} pointers to
     * nouns; {@code definition} is the gloss before its first quoted example, {@code examples} the
     * quoted examples (quotes removed).
     */
    public record Synset(
            String offset,
            char pos,
            List<String> lemmas,
            List<String> hypernyms,
            String definition,
            List<String> examples) {
        public Synset {
            lemmas = List.copyOf(lemmas);
            hypernyms = List.copyOf(hypernyms);
            examples = List.copyOf(examples);
        }

        /** The first lemma with spaces for underscores. */
        public String headword() {
            return lemmas.getFirst().replace('_', ' ');
        }
    }

    /** Whether {@code dir} holds {@code data.noun} (the least any reader here needs). */
    public static boolean present(Path dir) {
        return Files.isRegularFile(dir.resolve("data.noun"));
    }

    /** All synsets of {@code data.<pos>} (pos: noun, verb, adj, adv) by offset, in file order. */
    public static Map<String, Synset> read(Path dir, String pos) throws IOException {
        Path file = dir.resolve("data." + pos);
        if (!Files.isRegularFile(file)) {
            throw new DataException(file + ": missing (install the Debian package wordnet-base)");
        }
        Map<String, Synset> out = new LinkedHashMap<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.startsWith("  ") || line.isBlank()) {
                    continue;
                }
                Synset s;
                try {
                    s = parse(line);
                } catch (RuntimeException e) {
                    throw new DataException(file + ":" + n + ": not a WordNet data line (" + e.getMessage() + ")");
                }
                out.put(s.offset(), s);
            }
        }
        if (out.isEmpty()) {
            throw new DataException(file + ": holds no synset");
        }
        return out;
    }

    /** Parses one data line. */
    static Synset parse(String line) {
        int bar = line.indexOf(" | ");
        if (bar < 0) {
            throw new IllegalArgumentException("no ' | ' before the gloss");
        }
        String[] f = SPACES.split(line.substring(0, bar).trim());
        if (f.length < 6 || f[0].length() != 8) {
            throw new IllegalArgumentException("no 8-digit offset and header fields");
        }
        char pos = f[2].charAt(0);
        int words = Integer.parseInt(f[3], 16);
        if (words < 1 || 4 + 2 * words >= f.length) {
            throw new IllegalArgumentException("word count " + words + " does not fit the line");
        }
        List<String> lemmas = new ArrayList<>();
        for (int i = 0; i < words; i++) {
            String w = f[4 + 2 * i];
            lemmas.add(w.endsWith(")") ? ADJ_MARKER.matcher(w).replaceAll("") : w);
        }
        int i = 4 + 2 * words;
        int pointers = Integer.parseInt(f[i++]);
        if (pointers < 0 || i + 4 * pointers > f.length) {
            throw new IllegalArgumentException("pointer count " + pointers + " does not fit the line");
        }
        List<String> hypernyms = new ArrayList<>();
        for (int p = 0; p < pointers; p++, i += 4) {
            if ((f[i].equals("@") || f[i].equals("@i")) && f[i + 2].equals("n")) {
                hypernyms.add(f[i + 1]);
            }
        }
        String gloss = line.substring(bar + 3).trim();
        int quote = gloss.indexOf('"');
        String definition = (quote < 0 ? gloss : gloss.substring(0, quote)).trim();
        int end = definition.length();
        while (end > 0
                && (definition.charAt(end - 1) == ';'
                        || definition.charAt(end - 1) == ':'
                        || Character.isWhitespace(definition.charAt(end - 1)))) {
            end--;
        }
        definition = definition.substring(0, end);
        List<String> examples = new ArrayList<>();
        if (quote >= 0) {
            for (String part : gloss.substring(quote).split("\"")) {
                String e = part.trim();
                if (e.chars().anyMatch(Character::isLetterOrDigit)) {
                    examples.add(e);
                }
            }
        }
        return new Synset(f[0], pos, lemmas, hypernyms, definition, examples);
    }
}
