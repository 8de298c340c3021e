package dev.atelier.zo.data;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a GCIDE entry's text into its definitions. Rules (documented in docs/zo.md, "Data and
 * task"): square-bracket groups (etymologies, {@code [1913 Webster]} source marks) and the
 * {@code \pronunciation\} are removed; {@code {braces}} keep their content; the part of speech
 * is the text right after the headword ({@code n.} = noun). Paragraphs (blank-line separated)
 * indented by six or more spaces are quotations and are dropped, as are {@code Syn:} and
 * {@code Note:} paragraphs; the first paragraph after the headline and numbered ones
 * ({@code 1.}) are senses, and lettered sub-senses {@code (a) (b)} become separate senses. Each
 * sense is cut at {@code ; as, } (a usage example) and at {@code --} (a citation), a leading
 * domain label such as {@code (Zool.)} is removed, whitespace collapsed. Stateless.
 */
public final class GcideSenses {
    private static final Pattern BRACKETS = Pattern.compile("\\[[^\\[\\]]*\\]");
    private static final Pattern PRONUNCIATION = Pattern.compile("\\\\[^\\\\\\n]*\\\\");
    private static final Pattern POS = Pattern.compile(
            "(?:^|[\\s,])((?:(?:n|v|a|adv|t|i|pl|p|pr|imp|prep|conj|interj|pron|sing)\\.(?:\\s|,|$)\\s*)+)");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern TRAILING = Pattern.compile("\\s*;\\s*$");
    private static final Pattern LETTER = Pattern.compile("\\p{L}");
    private static final Pattern NUMBERED = Pattern.compile("^\\d+\\.\\s+");
    private static final Pattern LETTERED = Pattern.compile("(?:^|\\s)\\(([a-z])\\)\\s+");
    private static final Pattern DOMAIN = Pattern.compile("^\\(([A-Z][A-Za-z.& ]{1,30})\\)\\s*");

    private GcideSenses() {}

    /** One entry's part of speech as written after the headword (e.g. {@code n.}, {@code v. t.}), and its senses. */
    public record Parsed(String partOfSpeech, List<String> senses) {
        public boolean noun() {
            return partOfSpeech.equals("n.") || partOfSpeech.startsWith("n. ") || partOfSpeech.startsWith("n.,");
        }
    }

    public static Parsed parse(String entryText) {
        String t = entryText.replace("\r", "");
        String prev;
        do {
            prev = t;
            t = BRACKETS.matcher(t).replaceAll("");
        } while (!t.equals(prev));
        t = PRONUNCIATION.matcher(t).replaceAll("");
        t = t.replace("{", "").replace("}", "");
        String[] paragraphs = t.split("\\n[ \\t]*\\n");
        if (paragraphs.length == 0) {
            return new Parsed("", List.of());
        }
        String first = paragraphs[0].strip();
        int nl = first.indexOf('\n');
        String headline = nl < 0 ? first : first.substring(0, nl);
        String rest = nl < 0 ? "" : first.substring(nl + 1);
        // Headline: "Word, n. (definition may follow)": the part of speech is the first run of
        // grammatical abbreviations; what follows it is the start of the first sense.
        Matcher pos = POS.matcher(headline);
        String partOfSpeech = "";
        String firstSense = rest;
        if (pos.find()) {
            partOfSpeech = pos.group(1).strip().replaceAll(",$", "").strip();
            firstSense = headline.substring(pos.end()) + " " + rest;
        }
        List<String> senses = new ArrayList<>();
        Matcher firstNum = NUMBERED.matcher(firstSense.strip());
        addSplit(senses, firstNum.find() ? firstSense.strip().substring(firstNum.end()) : firstSense);
        for (int i = 1; i < paragraphs.length; i++) {
            String raw = paragraphs[i];
            String firstLine = raw.lines().filter(l -> !l.isBlank()).findFirst().orElse("");
            if (firstLine.length() - firstLine.stripLeading().length() >= 6) {
                continue;
            }
            String p = raw.strip();
            if (p.startsWith("Syn:") || p.startsWith("Note:") || p.startsWith("--")) {
                continue;
            }
            Matcher num = NUMBERED.matcher(p);
            if (num.find()) {
                addSplit(senses, p.substring(num.end()));
            }
        }
        return new Parsed(partOfSpeech, senses);
    }

    private static void addSplit(List<String> out, String text) {
        Matcher m = LETTERED.matcher(text);
        List<Integer> starts = new ArrayList<>();
        List<Integer> ends = new ArrayList<>();
        while (m.find()) {
            starts.add(m.start());
            ends.add(m.end());
        }
        if (starts.isEmpty()) {
            addClean(out, text);
            return;
        }
        addClean(out, text.substring(0, starts.getFirst()));
        for (int i = 0; i < starts.size(); i++) {
            addClean(out, text.substring(ends.get(i), i + 1 < starts.size() ? starts.get(i + 1) : text.length()));
        }
    }

    private static void addClean(List<String> out, String text) {
        String s = SPACES.matcher(text).replaceAll(" ").strip();
        int as = s.indexOf("; as, ");
        if (as >= 0) {
            s = s.substring(0, as);
        }
        int cite = s.indexOf(" --");
        if (cite >= 0) {
            s = s.substring(0, cite);
        }
        s = DOMAIN.matcher(s).replaceFirst("");
        s = TRAILING.matcher(s).replaceAll("").strip();
        if (LETTER.matcher(s).find()) {
            out.add(s);
        }
    }
}
