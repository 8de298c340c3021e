package dev.atelier.transport.testing;

import dev.atelier.transport.app.Coordinator;
import dev.atelier.transport.app.CoordinatorConfig;
import java.nio.file.Path;

/** Test entry point of a coordinator JVM: {@code CoordinatorProcess CONFIG_FILE}. */
public final class CoordinatorProcess {
    private CoordinatorProcess() {}

    public static void main(String[] args) throws Exception {
        try (Coordinator c = new Coordinator(CoordinatorConfig.load(Path.of(args[0])))) {
            c.run();
        }
        System.exit(0);
    }
}
