package dev.atelier.transport.testing;

import dev.atelier.transport.coordinator.CoordinatorTls;
import dev.atelier.transport.security.CertificateAuthority;
import dev.atelier.transport.security.Role;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A throw-away federation CA with a loopback coordinator certificate and named node bundles. */
public final class TestPki {
    private final CertificateAuthority ca;

    private TestPki(CertificateAuthority ca) {
        this.ca = ca;
    }

    public static TestPki create(Path dir, String... nodes) throws IOException {
        CertificateAuthority ca = CertificateAuthority.init(dir, "Test Federation CA", Duration.ofDays(2));
        ca.issue("coordinator", Role.COORDINATOR, List.of("127.0.0.1", "localhost"), Duration.ofDays(1));
        for (String n : nodes) {
            ca.issue(n, Role.NODE, List.of(), Duration.ofDays(1));
        }
        return new TestPki(ca);
    }

    public CertificateAuthority ca() {
        return ca;
    }

    public Path dir() {
        return ca.dir();
    }

    public Path bundle(String name) {
        return ca.dir().resolve(name);
    }

    public CoordinatorTls coordinatorTls() throws IOException {
        return CoordinatorTls.fromCaDir(ca.dir(), "coordinator");
    }
}
