package dev.atelier.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.cli.AtelierCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertsCommandTest {
    @TempDir
    Path tmp;

    private record Result(int code, String out, String err) {}

    private static Result cli(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = AtelierCli.run(args);
            return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void initIssueRevoke() throws Exception {
        String dir = tmp.resolve("certs").toString();
        assertThat(cli("certs", "init", "--dir", dir).code()).isZero();
        Result coord = cli(
                "certs", "issue", "coordinator", "--coordinator", "--san", "127.0.0.1,fl.example.org", "--dir", dir);
        assertThat(coord.code()).isZero();
        assertThat(coord.out()).contains("issued coordinator certificate 'coordinator'");
        Result node = cli("certs", "issue", "maison-a", "--dir", dir);
        assertThat(node.out()).contains("'maison-a' is now on the allowlist");
        assertThat(Files.readString(tmp.resolve("certs/allowlist.txt"))).contains("maison-a");
        for (String f : new String[] {"cert.pem", "key.pem", "ca.crt"}) {
            assertThat(tmp.resolve("certs/maison-a").resolve(f)).isRegularFile();
        }
        Result revoke = cli("certs", "revoke", "maison-a", "--dir", dir);
        assertThat(revoke.out()).contains("revoked 1 certificate(s) of 'maison-a'");
        assertThat(Files.readString(tmp.resolve("certs/revoked.txt"))).contains("maison-a");
        assertThat(cli("certs", "revoke", "maison-a", "--dir", dir).out()).contains("already revoked");
    }

    @Test
    void mistakesGetOneLineErrors() {
        String dir = tmp.resolve("certs").toString();
        Result noCa = cli("certs", "issue", "x", "--dir", dir);
        assertThat(noCa.code()).isEqualTo(1);
        assertThat(noCa.err()).contains("no CA in").contains("atelier certs init");
        cli("certs", "init", "--dir", dir);
        assertThat(cli("certs", "init", "--dir", dir).err()).contains("refusing to overwrite");
        assertThat(cli("certs", "issue", "coordinator", "--coordinator", "--dir", dir)
                        .err())
                .contains("needs --san");
        assertThat(cli("node", "--coordinator", "127.0.0.1:1", "--workload", "x")
                        .err())
                .contains("--cert-dir");
        assertThat(cli("status", "--url", "http://127.0.0.1:1").err()).contains("unreachable");
    }
}
