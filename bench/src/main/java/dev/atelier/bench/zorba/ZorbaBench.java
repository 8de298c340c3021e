package dev.atelier.bench.zorba;

import dev.atelier.zo.data.Gcide;
import dev.atelier.zo.data.WordNet;
import dev.atelier.zo.firstorder.BaseLm;
import dev.atelier.zo.task.GarmentTask;
import dev.atelier.zo.zorba.DemoReport;
import dev.atelier.zo.zorba.DemoResult;
import dev.atelier.zo.zorba.ZorbaDemo;
import dev.atelier.zo.zorba.ZorbaRatios;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./atelier bench zorba}: one run of the ZorBA demo harness ({@link ZorbaDemo}: base LM,
 * garment task, 8 stores with budgets spanning 4×, client peaks by the memory protocol) and the
 * ratios of {@link ZorbaRatios}, printed and written with the report into {@code --out}.
 */
@Command(
        name = "zorba",
        mixinStandardHelpOptions = true,
        description = "ZorBA vs first-order FedAvg and full-model ZO in one run: client peak ratios (memory"
                + " protocol), upload per store per round, accuracy gap with 95% interval, wall time per round.")
public final class ZorbaBench implements Callable<Integer> {
    @Option(names = "--rounds", defaultValue = "2", description = "Rounds of every method (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--stores", defaultValue = "8", description = "Stores (default: ${DEFAULT-VALUE}).")
    int stores;

    @Option(
            names = "--out",
            defaultValue = "target/bench-zorba",
            description = "Report folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--report",
            paramLabel = "FILE",
            description = "Print the ratios of an earlier run's report.json (atelier zo demo) instead of running.")
    Path report;

    @Override
    public Integer call() throws Exception {
        if (report != null) {
            System.out.print(ZorbaRatios.of(DemoResult.fromJson(Files.readString(report)))
                    .format());
            return 0;
        }
        Path model = BaseLm.getOrPretrain(
                        WordNet.DEFAULT_DIR,
                        Gcide.DEFAULT_DIR,
                        BaseLm.Settings.DEFAULT,
                        BaseLm.defaultCacheDir(),
                        System.err)
                .dir();
        var task = GarmentTask.load(WordNet.DEFAULT_DIR, Gcide.DEFAULT_DIR).task();
        var s = ZorbaDemo.Settings.defaults(stores, rounds, ZorbaDemo.Settings.ZO_STEPS, 0.5, 0.1, 42);
        DemoResult r = ZorbaDemo.run(model, task, s, out, ZorbaDemo.Peaks.protocol(1L << 30, 3), System.err);
        DemoReport.write(r, out);
        String text = ZorbaRatios.of(r).format();
        Files.writeString(out.resolve("ratios.txt"), text);
        System.out.print(text);
        System.out.println("report: " + out.resolve("report.html"));
        return 0;
    }
}
