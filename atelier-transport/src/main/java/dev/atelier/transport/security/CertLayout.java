package dev.atelier.transport.security;

import java.nio.file.Path;

/**
 * File names inside a certificate directory.
 *
 * <p>The CA directory ({@code atelier certs init --dir certs}) holds {@code ca.crt},
 * {@code ca.key}, {@code allowlist.txt}, {@code revoked.txt}, {@code issued.tsv} and one bundle
 * folder per issued name. A bundle ({@code certs/NAME/}) holds {@code cert.pem}, {@code key.pem}
 * and a copy of {@code ca.crt}: it is what a node (or the coordinator) is given, and what
 * {@code --cert-dir} points at.
 */
public final class CertLayout {
    public static final String CA_CERT = "ca.crt";
    public static final String CA_KEY = "ca.key";
    public static final String ALLOWLIST = "allowlist.txt";
    public static final String REVOKED = "revoked.txt";
    public static final String ISSUED = "issued.tsv";
    public static final String CERT = "cert.pem";
    public static final String KEY = "key.pem";

    private CertLayout() {}

    /** A bundle folder as given to one party: cert, key, and the CA certificate to trust. */
    public record Bundle(Path dir) {
        public Path cert() {
            return dir.resolve(CERT);
        }

        public Path key() {
            return dir.resolve(KEY);
        }

        public Path caCert() {
            return dir.resolve(CA_CERT);
        }
    }
}
