package dev.atelier.transport.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.atelier.transport.testing.TestPki;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateRevokedException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever bytes a trust file holds (NUL, CR, lone surrogates, non-UTF-8 sequences, megabyte
 * lines, thousands of bad lines), parsing never throws, keeps only well-formed entries, and reports
 * every other content line at most once with its line number, escaped and bounded; a file over
 * {@link TrustFiles#MAX_FILE_BYTES} is refused, and a {@link TrustPolicy} refused a reload keeps its
 * last good lists.
 */
class TrustFilesPropertyTest {
    @TempDir
    Path tmp; // for the @Test methods (jqwik properties use their own temp files)

    @Provide
    Arbitrary<byte[]> hostileBytes() {
        Arbitrary<byte[]> pieces = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40),
                Arbitraries.of(
                        new byte[] {0},
                        new byte[] {'\r'},
                        new byte[] {'\r', '\n'},
                        new byte[] {'\n'},
                        new byte[] {(byte) 0xC3}, // a truncated 2-byte sequence
                        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // an encoded surrogate
                        new byte[] {(byte) 0xC0, (byte) 0x80}, // overlong NUL
                        new byte[] {(byte) 0xFF, (byte) 0xFE},
                        new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, // BOM
                        new byte[] {0x1B, '[', '3', '1', 'm'},
                        "good".getBytes(StandardCharsets.US_ASCII),
                        "1f good 2026-12-01T00:00:00Z".getBytes(StandardCharsets.US_ASCII),
                        " ".getBytes(StandardCharsets.US_ASCII),
                        "#".getBytes(StandardCharsets.US_ASCII)));
        return pieces.list().ofMaxSize(40).map(list -> {
            var out = new java.io.ByteArrayOutputStream();
            list.forEach(out::writeBytes);
            return out.toByteArray();
        });
    }

    @Property(tries = 300)
    void hostileBytesNeverThrowAndKeepOnlyWellFormedEntries(@ForAll("hostileBytes") byte[] bytes) throws Exception {
        Path f = Files.createTempFile("hostile-", ".txt");
        f.toFile().deleteOnExit();
        Files.write(f, bytes);
        List<String> problems = new ArrayList<>();
        Set<String> names = TrustFiles.allowlist(f, problems::add);
        assertThat(names).allMatch(n -> TrustFiles.NODE_NAME.matcher(n).matches());
        checkReports(f, problems);
        problems.clear();
        Map<BigInteger, String> revoked = TrustFiles.revoked(f, problems::add);
        assertThat(revoked.keySet()).allMatch(s -> s.signum() > 0 && s.bitLength() <= 160);
        checkReports(f, problems);
    }

    /** Jazzer: the fuzzer's bytes as both trust files; same oracle. Inputs under {@code TrustFilesPropertyTestInputs/bytesFromTheFuzzer}. */
    @FuzzTest(maxDuration = "2m")
    void bytesFromTheFuzzer(byte[] input) throws Exception {
        hostileBytesNeverThrowAndKeepOnlyWellFormedEntries(input);
    }

    @Test
    void aMegabyteLineIsOneBoundedReportAndThousandsOfBadLinesAreSummarised() throws Exception {
        Path f = tmp.resolve("long.txt");
        Files.writeString(f, "good\n" + "x\u0000".repeat(500_000) + "\nother\n", StandardCharsets.UTF_8);
        List<String> problems = new ArrayList<>();
        assertThat(TrustFiles.allowlist(f, problems::add)).containsExactlyInAnyOrder("good", "other");
        assertThat(problems)
                .singleElement()
                .satisfies(p -> assertThat(p)
                        .startsWith(f + ":2: 'x\\u0000x")
                        .hasSizeLessThan(f.toString().length() + 700)
                        .doesNotContain("\u0000"));

        Files.writeString(f, "zz not-a-serial\n".repeat(5000) + "1f good 2026-12-01T00:00:00Z\n");
        problems.clear();
        assertThat(TrustFiles.revoked(f, problems::add)).containsOnlyKeys(BigInteger.valueOf(0x1f));
        assertThat(problems).hasSize(TrustFiles.MAX_PROBLEMS + 1);
        assertThat(problems.getLast())
                .isEqualTo(f + ": " + (5000 - TrustFiles.MAX_PROBLEMS) + " more bad lines not listed — lines ignored");
    }

    @Test
    void aFileOverTheSizeCapIsRefusedAndAReloadOfItKeepsTheLastGoodPolicy() throws Exception {
        TestPki pki = TestPki.create(tmp.resolve("pki"), "good", "bad");
        pki.ca().revoke("bad");
        TrustPolicy policy = pki.coordinatorTls().policy();
        X509Certificate good = Pem.readCertificate(pki.bundle("good").resolve(CertLayout.CERT));
        X509Certificate bad = Pem.readCertificate(pki.bundle("bad").resolve(CertLayout.CERT));
        assertThatThrownBy(() -> policy.verify(new X509Certificate[] {bad}))
                .isInstanceOf(CertificateRevokedException.class);

        // replaced by a 17 MiB file (sparse: NUL bytes) — e.g. a bad copy
        Path revoked = pki.dir().resolve(CertLayout.REVOKED);
        try (var raf = new java.io.RandomAccessFile(revoked.toFile(), "rw")) {
            raf.setLength(TrustFiles.MAX_FILE_BYTES + (1 << 20));
        }
        assertThatThrownBy(() -> TrustFiles.revoked(revoked, p -> {}))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("more than the 16777216 a trust file may hold");
        assertThatThrownBy(() -> policy.verify(new X509Certificate[] {bad}))
                .as("the revocation stays in force")
                .isInstanceOf(CertificateRevokedException.class);
        assertThat(policy.verify(new X509Certificate[] {good})).isEqualTo("good");
        assertThat(policy.problems())
                .singleElement()
                .satisfies(p ->
                        assertThat(p).contains("revoked.txt: cannot be read").contains("keeping the previous list"));

        // fixed: the new list applies (here: nothing revoked any more)
        Files.writeString(revoked, "# emptied\n");
        assertThat(policy.verify(new X509Certificate[] {bad})).isEqualTo("bad");
        assertThat(policy.problems()).isEmpty();
    }

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
            assertThat(rest.length()).as("a report is bounded").isLessThan(700);
        }
        assertThat(lineNumbers).doesNotHaveDuplicates();
    }
}
