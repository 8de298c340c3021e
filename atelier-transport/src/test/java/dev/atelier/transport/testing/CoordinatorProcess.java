package dev.atelier.transport.testing;

import dev.atelier.transport.app.CoordinatorConfig;
import dev.atelier.transport.app.CoordinatorLauncher;
import java.nio.file.Path;

/** Test entry point of a coordinator JVM: {@code CoordinatorProcess CONFIG_FILE}. */
public final class CoordinatorProcess {
    private CoordinatorProcess() {}

    public static void main(String[] args) throws Exception {
        new CoordinatorLauncher(CoordinatorConfig.load(Path.of(args[0])), System.err).run();
        System.exit(0);
    }
}
