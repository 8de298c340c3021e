package dev.atelier.bench;

import dev.atelier.bench.ganstep.GanProfileBench;
import dev.atelier.bench.ganstep.GanStepBench;
import dev.atelier.bench.student.StudentSpeedBench;
import dev.atelier.bench.zorba.ZorbaBench;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./atelier bench [fedavg|heap|ganstep|all]} (no bench = {@code all}): prints streaming
 * FedAvg throughput next to a plain memory-read loop measured in the same run (JMH), and
 * coordinator heap for 10 vs 100 replies of a 50 MB model. Results are recorded in docs/benchmarks.md.
 *
 * <p>{@code ganstep [options]} times one local sketch-GAN step in Java/DJL and the same model and
 * step in PyTorch from Python in the same run ({@link GanStepBench}); it is not part of {@code all}
 * (it needs Python with torch and takes about a minute). Every bench is a picocli command, like the
 * {@code atelier} commands: {@code ./atelier bench ganstep --help} lists its options; the small
 * benches are {@code @Command} methods of this class.
 */
@Command(
        name = "atelier bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks; without a bench name runs fedavg and heap (all).",
        subcommands = {
            GanStepBench.class,
            GanProfileBench.class,
            StudentSpeedBench.class,
            PrivacyBench.class,
            ZorbaBench.class
        })
public final class BenchMain implements Callable<Integer> {
    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    /** No bench named: {@code all}. */
    @Override
    public Integer call() throws Exception {
        return all();
    }

    @Command(name = "all", mixinStandardHelpOptions = true, description = "fedavg, then heap (not ganstep).")
    int all() throws Exception {
        fedavg();
        heap();
        return 0;
    }

    @Command(
            name = "fedavg",
            mixinStandardHelpOptions = true,
            description = "Streaming FedAvg vs a memory-read loop (JMH).")
    int fedavg() throws Exception {
        int mb = 64;
        Options opt = new OptionsBuilder()
                .include(AggregationKernels.class.getName() + ".*")
                .param("megabytes", Integer.toString(mb))
                .forks(1)
                .warmupIterations(2)
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(2))
                .jvmArgsAppend("-Xmx2g")
                .build();
        Collection<RunResult> results = new Runner(opt).run();
        double fold = 0;
        double read = 0;
        for (RunResult r : results) {
            double opsPerSec = r.getPrimaryResult().getScore();
            double gbps = opsPerSec * AggregationKernels.bytesPerOp(mb) / 1e9;
            if (r.getParams().getBenchmark().endsWith("fedavgFold")) {
                fold = gbps;
            } else {
                read = gbps;
            }
        }
        System.out.printf(Locale.ROOT, "%nstreaming FedAvg fold: %.2f GB/s of float32 parameters%n", fold);
        System.out.printf(Locale.ROOT, "plain memory-read loop (same JVM run, same bytes): %.2f GB/s%n", read);
        System.out.printf(Locale.ROOT, "ratio FedAvg / memory read: %.2f%n", fold / read);
        return 0;
    }

    @Command(
            name = "heap",
            mixinStandardHelpOptions = true,
            description = "Coordinator heap for 10 vs 100 replies of a 50 MB model.")
    int heap() {
        int mb = 50;
        CoordinatorHeap.measure(3, mb); // warm-up: class loading and JIT out of the measurement
        var ten = CoordinatorHeap.measure(10, mb);
        var hundred = CoordinatorHeap.measure(100, mb);
        System.out.printf(Locale.ROOT, "%ncoordinator live heap while aggregating a %d MB model:%n", mb);
        for (var m : new CoordinatorHeap.Measurement[] {ten, hundred}) {
            System.out.printf(
                    Locale.ROOT,
                    "  %3d replies: +%.1f MB over baseline (%.2f x model size)%n",
                    m.replies(),
                    m.aggregationBytes() / 1e6,
                    (double) m.aggregationBytes() / m.modelBytes());
        }
        System.out.printf(
                Locale.ROOT,
                "ratio heap(100 replies) / heap(10 replies): %.2f (O(model) means about 1)%n",
                (double) hundred.aggregationBytes() / ten.aggregationBytes());
        return 0;
    }
}
