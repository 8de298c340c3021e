package dev.atelier.cli.deploy;

import dev.atelier.transport.app.Coordinator;
import dev.atelier.transport.app.CoordinatorConfig;
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
            "Restarting with the same config resumes after the last checkpointed round."
        })
public final class CoordinatorCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "Coordinator config file (TOML, docs/deployment.md).")
    Path config;

    @Override
    public Integer call() throws Exception {
        CoordinatorConfig cfg = CoordinatorConfig.load(config);
        Coordinator coordinator = new Coordinator(cfg);
        Thread hook = new Thread(
                () -> {
                    System.err.println(
                            "coordinator stopping; restart with the same --config to resume after the last checkpointed round");
                    coordinator.close();
                },
                "atelier-coordinator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            coordinator.run();
        } finally {
            coordinator.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running
            }
        }
        return 0;
    }
}
