package dev.atelier.cli.deploy;

import dev.atelier.transport.security.CertificateAuthority;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --dir DIR}: the CA folder every {@code atelier certs} subcommand works in. */
final class CaDirOption {
    @Option(names = "--dir", defaultValue = "certs", description = "CA folder (default: ${DEFAULT-VALUE}).")
    Path dir;

    /** The CA in {@link #dir}. */
    CertificateAuthority load() throws IOException {
        return CertificateAuthority.load(dir);
    }
}
