package dev.atelier.transport.coordinator;

import dev.atelier.transport.security.CertLayout;
import dev.atelier.transport.security.TrustPolicy;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The coordinator's TLS material: its own certificate bundle and the policy nodes must pass.
 *
 * @param own    cert.pem/key.pem of a COORDINATOR certificate
 * @param policy the federation CA, allowlist and revocation list
 */
public record CoordinatorTls(CertLayout.Bundle own, TrustPolicy policy) {
    /**
     * From a CA directory made by {@code atelier certs init}: the policy files at its top and the
     * coordinator bundle in {@code caDir/coordinatorName}.
     */
    public static CoordinatorTls fromCaDir(Path caDir, String coordinatorName) throws IOException {
        return new CoordinatorTls(new CertLayout.Bundle(caDir.resolve(coordinatorName)), TrustPolicy.fromCaDir(caDir));
    }
}
