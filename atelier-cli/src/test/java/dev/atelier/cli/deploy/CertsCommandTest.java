package dev.atelier.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertsCommandTest {
    @TempDir
    Path tmp;

    @Test
    void initIssueRevoke() throws Exception {
        String dir = tmp.resolve("certs").toString();
        assertThat(CliRun.of("certs", "init", "--dir", dir).exitCode()).isZero();
        CliRun coord = CliRun.of(
                "certs", "issue", "coordinator", "--coordinator", "--san", "127.0.0.1,fl.example.org", "--dir", dir);
        assertThat(coord.exitCode()).isZero();
        assertThat(coord.out()).contains("issued coordinator certificate 'coordinator'");
        CliRun node = CliRun.of("certs", "issue", "maison-a", "--dir", dir);
        assertThat(node.out()).contains("'maison-a' is now on the allowlist");
        assertThat(Files.readString(tmp.resolve("certs/allowlist.txt"))).contains("maison-a");
        for (String f : new String[] {"cert.pem", "key.pem", "ca.crt"}) {
            assertThat(tmp.resolve("certs/maison-a").resolve(f)).isRegularFile();
        }
        CliRun revoke = CliRun.of("certs", "revoke", "maison-a", "--dir", dir);
        assertThat(revoke.out()).contains("revoked 1 certificate(s) of 'maison-a'");
        assertThat(Files.readString(tmp.resolve("certs/revoked.txt"))).contains("maison-a");
        assertThat(CliRun.of("certs", "revoke", "maison-a", "--dir", dir).out()).contains("already revoked");
    }

    @Test
    void mistakesGetOneLineErrors() {
        String dir = tmp.resolve("certs").toString();
        CliRun noCa = CliRun.of("certs", "issue", "x", "--dir", dir);
        assertThat(noCa.exitCode()).isEqualTo(1);
        assertThat(noCa.err()).contains("no CA in").contains("atelier certs init");
        CliRun.of("certs", "init", "--dir", dir);
        assertThat(CliRun.of("certs", "init", "--dir", dir).err()).contains("refusing to overwrite");
        assertThat(CliRun.of("certs", "issue", "coordinator", "--coordinator", "--dir", dir)
                        .err())
                .contains("needs --san");
        assertThat(CliRun.of("node", "--coordinator", "127.0.0.1:1", "--workload", "x")
                        .err())
                .contains("--cert-dir");
        assertThat(CliRun.of("status", "--url", "http://127.0.0.1:1").err()).contains("unreachable");
    }

    @Test
    void reservedAndExistingNamesAreRefusedUnlessForced() throws Exception {
        String dir = tmp.resolve("certs").toString();
        CliRun.of("certs", "init", "--dir", dir);
        assertThat(CliRun.of("certs", "issue", "coordinator", "--coordinator", "--san", "127.0.0.1", "--dir", dir)
                        .exitCode())
                .isZero();
        Path coordKey = tmp.resolve("certs/coordinator/key.pem");
        String key = Files.readString(coordKey);

        CliRun asNode = CliRun.of("certs", "issue", "coordinator", "--dir", dir);
        assertThat(asNode.exitCode()).isEqualTo(1);
        assertThat(asNode.err())
                .contains("'coordinator' is the coordinator's bundle name")
                .contains("pick another node name");
        CliRun again = CliRun.of("certs", "issue", "coordinator", "--coordinator", "--san", "127.0.0.1", "--dir", dir);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err())
                .contains("a bundle for 'coordinator' already exists in")
                .contains("(issued as coordinator)")
                .contains("--force");
        assertThat(Files.readString(coordKey)).isEqualTo(key);
        assertThat(Files.readString(tmp.resolve("certs/allowlist.txt"))).doesNotContain("coordinator");

        CliRun ca = CliRun.of("certs", "issue", "ca", "--dir", dir);
        assertThat(ca.err()).contains("'ca' is reserved for the CA itself");
        assertThat(CliRun.of("certs", "issue", "ca.key", "--force", "--dir", dir)
                        .err())
                .contains("is the name of the CA file");

        assertThat(CliRun.of("certs", "issue", "maison-a", "--dir", dir).exitCode())
                .isZero();
        assertThat(CliRun.of("certs", "issue", "maison-a", "--dir", dir).err())
                .contains("a bundle for 'maison-a' already exists")
                .contains("(issued as node)");
        CliRun forced = CliRun.of(
                "certs", "issue", "coordinator", "--coordinator", "--san", "127.0.0.1", "--force", "--dir", dir);
        assertThat(forced.exitCode()).isZero();
        assertThat(Files.readString(coordKey)).isNotEqualTo(key);
    }
}
