package dev.atelier.cli.deploy;

import dev.atelier.transport.app.CoordinatorConfig;
import dev.atelier.transport.app.CoordinatorLauncher;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code atelier coordinator --config FILE}: serves a federation to real nodes over gRPC with mutual TLS. */
@Command(
        name = "coordinator",
        mixinStandardHelpOptions = true,
        description = {
            "Run a federation for remote nodes over gRPC with mutual TLS (config format: docs/deployment.md).",
            "Restarting with the same config resumes after the last checkpointed round.",
            "SIGTERM stops it gracefully: no new round, the one in progress finishes within shutdown_grace_s or is abandoned."
        })
public final class CoordinatorCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "Coordinator config file (TOML, docs/deployment.md).")
    Path config;

    @Override
    public Integer call() throws Exception {
        new CoordinatorLauncher(CoordinatorConfig.load(config), System.err).run();
        return 0;
    }
}
