package dev.atelier.transport.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever bytes a trust file holds, parsing never throws, keeps only well-formed entries, and
 * reports every other content line exactly once with its line number.
 */
class TrustFilesPropertyTest {
    @Provide
    Arbitrary<List<String>> lines() {
        Arbitrary<String> hex = Arbitraries.strings()
                .withChars("0123456789abcdefABCDEF")
                .ofMinLength(1)
                .ofMaxLength(44);
        Arbitrary<String> junk = Arbitraries.strings().all().ofMaxLength(60);
        Arbitrary<String> name =
                Arbitraries.strings().withChars("abcXYZ019._- ").ofMinLength(1).ofMaxLength(70);
        Arbitrary<String> line = Arbitraries.oneOf(
                hex,
                hex.flatMap(h -> name.map(n -> h + " " + n + " 2026-12-01T00:00:00Z")),
                name,
                junk,
                Arbitraries.of("", "# comment", "   "));
        return line.list().ofMaxSize(30);
    }

    @Property(tries = 200)
    void revocationListParsesOrReportsEveryLine(@ForAll("lines") List<String> lines) throws Exception {
        Path f = write(lines);
        List<String> problems = new ArrayList<>();
        Map<BigInteger, String> revoked = TrustFiles.revoked(f, problems::add);
        assertThat(revoked.keySet()).allMatch(s -> s.signum() > 0 && s.bitLength() <= 160);
        checkReports(f, problems);
    }

    @Property(tries = 200)
    void allowlistParsesOrReportsEveryLine(@ForAll("lines") List<String> lines) throws Exception {
        Path f = write(lines);
        List<String> problems = new ArrayList<>();
        Set<String> names = TrustFiles.allowlist(f, problems::add);
        assertThat(names).allMatch(n -> TrustFiles.NODE_NAME.matcher(n).matches());
        checkReports(f, problems);
    }

    private static Path write(List<String> lines) throws Exception {
        Path f = Files.createTempFile("trust-", ".txt");
        f.toFile().deleteOnExit();
        Files.write(f, String.join("\n", lines).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return f;
    }

    /** Each problem names the file and a distinct line that exists, and carries no raw control character. */
    private static void checkReports(Path f, List<String> problems) throws Exception {
        int count = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.UTF_8)
                .lines()
                .toList()
                .size();
        List<Integer> lineNumbers = new ArrayList<>();
        for (String p : problems) {
            assertThat(p).startsWith(f + ":").contains("line ignored");
            String rest = p.substring(f.toString().length() + 1);
            int n = Integer.parseInt(rest.substring(0, rest.indexOf(':')));
            assertThat(n).isBetween(1, count);
            lineNumbers.add(n);
            assertThat(rest.chars()).noneMatch(Character::isISOControl);
        }
        assertThat(lineNumbers).doesNotHaveDuplicates();
    }
}
