package dev.atelier.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code atelier} command. */
@Command(
        name = "atelier",
        mixinStandardHelpOptions = true,
        versionProvider = AtelierCli.Version.class,
        description = "Federated generative AI for fashion: designers co-create with AI without sharing their data.",
        subcommands = {
            CommandLine.HelpCommand.class,
            dev.atelier.cli.sketch.DemoCommand.class,
            dev.atelier.cli.audit.AuditCommand.class,
            dev.atelier.cli.sketch.GenerateCommand.class,
            dev.atelier.cli.sketch.SketchGroup.class,
            dev.atelier.cli.classifier.SimulateGroup.class,
            dev.atelier.cli.classifier.TrainGroup.class,
            dev.atelier.cli.deploy.CoordinatorCommand.class,
            dev.atelier.cli.deploy.NodeCommand.class,
            dev.atelier.cli.deploy.CertsCommand.class,
            dev.atelier.cli.deploy.StatusCommand.class,
            dev.atelier.cli.lm.LmGroup.class,
            dev.atelier.cli.zo.ZoGroup.class,
            dev.atelier.cli.studio.StudioCommand.class,
        })
public final class AtelierCli {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new AtelierCli());
        cli.setExecutionExceptionHandler(new FriendlyErrors());
        return cli.execute(args);
    }

    /** Prints the version recorded in the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = AtelierCli.class.getPackage().getImplementationVersion();
            return new String[] {"atelier " + (v == null ? "dev" : v)};
        }
    }
}
