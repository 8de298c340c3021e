package dev.atelier.zo.firstorder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The base LM's word-level vocabulary, written as a Hugging Face {@code tokenizer.json} that the
 * product's {@code LmTokenizer} (DJL's tokenizers binding) loads like any other: a {@code WordLevel}
 * model, {@code Lowercase} normaliser, {@code BertPreTokenizer} (splits at whitespace and makes
 * every punctuation character a token) and a template that prepends {@value #BOS}. Ids: 0
 * {@value #PAD}, 1 {@value #UNK}, 2 {@value #BOS}, then the forced words, then the most frequent
 * words of the corpus (ties alphabetical) until {@code size}. No BPE: a word outside the
 * vocabulary is {@value #UNK}. Stateless.
 */
public final class WordVocab {
    public static final String PAD = "[PAD]";
    public static final String UNK = "[UNK]";
    public static final String BOS = "[BOS]";
    public static final int PAD_ID = 0;

    private static final ObjectMapper JSON = new ObjectMapper();

    private WordVocab() {}

    /** Tokens of {@code text} as the pre-tokenizer splits them, lowercased (for counting only). */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        String s = text.toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < s.length()) {
            int c = s.codePointAt(i);
            int n = Character.charCount(c);
            if (Character.isWhitespace(c)) {
                i += n;
            } else if (Character.isLetterOrDigit(c)) {
                int j = i;
                while (j < s.length() && Character.isLetterOrDigit(s.codePointAt(j))) {
                    j += Character.charCount(s.codePointAt(j));
                }
                out.add(s.substring(i, j));
                i = j;
            } else {
                out.add(s.substring(i, i + n));
                i += n;
            }
        }
        return out;
    }

    /** Token list: specials, {@code forced} (lowercased), then frequent words of {@code corpus}. */
    public static List<String> build(Collection<String> corpus, Collection<String> forced, int size) {
        Map<String, Integer> freq = new HashMap<>();
        for (String row : corpus) {
            for (String w : words(row)) {
                freq.merge(w, 1, Integer::sum);
            }
        }
        Set<String> vocab = new LinkedHashSet<>(List.of(PAD, UNK, BOS));
        for (String f : forced) {
            vocab.addAll(words(f));
        }
        freq.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue()
                        .reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey)
                .takeWhile(w -> vocab.size() < size)
                .forEach(vocab::add);
        if (vocab.size() > size) {
            throw new IllegalArgumentException(
                    "vocabulary size " + size + " is smaller than the specials and forced words");
        }
        return List.copyOf(vocab);
    }

    /** Writes {@code tokenizer.json} for {@code tokens} (id = index) into {@code dir}. */
    public static Path write(Path dir, List<String> tokens) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < 3; i++) {
            added.addObject()
                    .put("id", i)
                    .put("content", tokens.get(i))
                    .put("single_word", false)
                    .put("lstrip", false)
                    .put("rstrip", false)
                    .put("normalized", false)
                    .put("special", true);
        }
        root.putObject("normalizer").put("type", "Lowercase");
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", BOS).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = post.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", BOS).put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode bos = post.putObject("special_tokens").putObject(BOS);
        bos.put("id", BOS);
        bos.putArray("ids").add(2);
        bos.putArray("tokens").add(BOS);
        root.putNull("decoder");
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode v = model.putObject("vocab");
        for (int i = 0; i < tokens.size(); i++) {
            v.put(tokens.get(i), i);
        }
        model.put("unk_token", UNK);
        Files.createDirectories(dir);
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, root.toPrettyString());
        return file;
    }
}
