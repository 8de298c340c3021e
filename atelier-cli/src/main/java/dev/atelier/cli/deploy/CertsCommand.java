package dev.atelier.cli.deploy;

import dev.atelier.transport.security.CertificateAuthority;
import dev.atelier.transport.security.IssuedCertificate;
import dev.atelier.transport.security.Role;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code atelier certs init | issue NAME | revoke NAME}: the federation's certificate authority. */
@Command(
        name = "certs",
        mixinStandardHelpOptions = true,
        description = "Manage the federation CA: create it, issue node/coordinator certificates, revoke them.",
        subcommands = {CertsCommand.Init.class, CertsCommand.Issue.class, CertsCommand.Revoke.class})
public final class CertsCommand {

    /** {@code certs init}. */
    @Command(
            name = "init",
            mixinStandardHelpOptions = true,
            description = "Create a CA (ca.crt, ca.key) plus an empty allowlist and revocation list in --dir.")
    static final class Init implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        CaDirOption ca;

        @Option(
                names = "--name",
                defaultValue = "Atelier federation CA",
                description = "CA common name (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(
                names = "--days",
                defaultValue = "3650",
                description = "CA validity in days (default: ${DEFAULT-VALUE}).")
        int days;

        @Override
        public Integer call() throws Exception {
            CertificateAuthority created = CertificateAuthority.init(ca.dir, name, Duration.ofDays(days));
            var out = spec.commandLine().getOut();
            out.println("created CA '" + name + "' in " + ca.dir + " (valid " + days + " days)");
            out.println("keep " + ca.dir.resolve("ca.key")
                    + " secret; next: atelier certs issue coordinator --coordinator --san HOST --dir " + ca.dir);
            out.println("CA fingerprint (SHA-256): " + fingerprint(created));
            return 0;
        }
    }

    /** {@code certs issue NAME}. */
    @Command(
            name = "issue",
            mixinStandardHelpOptions = true,
            description = {
                "Issue a certificate bundle in DIR/NAME (cert.pem, key.pem, ca.crt).",
                "Node names are added to the allowlist; hand the bundle to that node's operator."
            })
    static final class Issue implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", description = "Node name (the node's identity) or the coordinator's bundle name.")
        String name;

        @Mixin
        CaDirOption ca;

        @Option(
                names = "--coordinator",
                description = "Issue a coordinator (TLS server) certificate instead of a node one.")
        boolean coordinator;

        @Option(
                names = "--san",
                split = ",",
                description = "Host names / IP addresses nodes dial the coordinator at (coordinator only).")
        List<String> sans = new ArrayList<>();

        @Option(names = "--days", defaultValue = "365", description = "Validity in days (default: ${DEFAULT-VALUE}).")
        int days;

        @Option(
                names = "--force",
                description = "Replace an existing bundle of NAME, or use a reserved name ('ca', the coordinator's"
                        + " bundle name for a node).")
        boolean force;

        @Override
        public Integer call() throws Exception {
            if (coordinator && sans.isEmpty()) {
                throw new IllegalArgumentException(
                        "a coordinator certificate needs --san with the host names or IPs nodes dial, e.g. --san fl.example.org,127.0.0.1");
            }
            if (!coordinator && !sans.isEmpty()) {
                throw new IllegalArgumentException("--san is only for --coordinator certificates");
            }
            CertificateAuthority authority = ca.load();
            Role role = coordinator ? Role.COORDINATOR : Role.NODE;
            authority.checkNewBundle(name, role, force);
            IssuedCertificate c = authority.issue(name, role, sans, Duration.ofDays(days));
            var out = spec.commandLine().getOut();
            out.println("issued " + c.role().name().toLowerCase(java.util.Locale.ROOT) + " certificate '" + c.name()
                    + "' (serial " + c.serial().toString(16) + ", valid until " + c.notAfter() + ") in " + c.bundle());
            out.println(
                    coordinator
                            ? "the coordinator config (TOML) uses cert_dir = \"" + ca.dir
                                    + "\" and coordinator_cert = \"" + name + "\""
                            : "copy " + c.bundle() + " to the node and start it with --cert-dir pointing at the copy; '"
                                    + name + "' is now on the allowlist");
            return 0;
        }
    }

    /** {@code certs revoke NAME}. */
    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description =
                    "Revoke every certificate issued to NAME; a running coordinator refuses it from the next connection on.")
    static final class Revoke implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", description = "Name whose certificates to revoke.")
        String name;

        @Mixin
        CaDirOption ca;

        @Override
        public Integer call() throws Exception {
            List<BigInteger> serials = ca.load().revoke(name);
            spec.commandLine()
                    .getOut()
                    .println(
                            serials.isEmpty()
                                    ? "'" + name + "' was already revoked"
                                    : "revoked " + serials.size() + " certificate(s) of '" + name + "' (serials "
                                            + String.join(
                                                    ", ",
                                                    serials.stream()
                                                            .map(s -> s.toString(16))
                                                            .toList()) + ")");
            return 0;
        }
    }

    static String fingerprint(CertificateAuthority ca) throws Exception {
        byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                .digest(ca.certificate().getEncoded());
        return java.util.HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
    }
}
