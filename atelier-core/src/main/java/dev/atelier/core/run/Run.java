package dev.atelier.core.run;

import dev.atelier.core.aggregate.Aggregator;
import dev.atelier.core.filter.PayloadFilter;
import dev.atelier.core.filter.RejectedPayloadException;
import dev.atelier.core.filter.ValidationFilter;
import dev.atelier.core.message.Failure;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.message.Reply;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.strategy.Strategy;
import dev.atelier.core.transport.Transport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One federation: the round loop shared by simulation and deployment.
 *
 * <p>Per round: await nodes → {@link Strategy#configure} → transport → each reply is validated
 * (names, shapes, dtypes, size, NaN/Inf against the current global model, then the run's extra
 * inbound filter) and folded into the streaming aggregator as it arrives → {@link Strategy#update}
 * → evaluation → checkpoint and metrics line. A rejected reply is a {@link Failure} with a reason;
 * it never touches the global model. A round with fewer valid replies than the sampling's minimum,
 * or more failures than its tolerated fraction, keeps the global model unchanged.
 *
 * <p>Not thread-safe; {@link #cancel()} may be called from any thread and stops after the
 * current round.
 */
public final class Run {
    private final RunConfig config;
    private final Strategy strategy;
    private final Transport transport;
    private final RunDirectory directory;
    private final Evaluator evaluator;
    private final RunListener listener;
    private final PayloadFilter inbound;
    private final int firstRound;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private ParamSet global;

    private Run(Builder b) {
        this.config = Objects.requireNonNull(b.config, "config");
        this.strategy = Objects.requireNonNull(b.strategy, "strategy");
        this.transport = Objects.requireNonNull(b.transport, "transport");
        this.global = Objects.requireNonNull(b.initial, "initial parameters");
        this.directory = b.directory;
        this.evaluator = b.evaluator;
        this.listener = b.listener;
        this.inbound = b.inbound;
        this.firstRound = b.firstRound;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Result of a finished (or cancelled) run. */
    public record Result(ParamSet global, List<RoundRecord> rounds) {}

    public void cancel() {
        cancelled.set(true);
    }

    public Result execute() throws InterruptedException, IOException {
        if (directory != null && firstRound > 1) {
            // Resume: a server optimizer continues with the moments it had after the completed round
            // (none saved, e.g. a stateless strategy: it starts from its initial state).
            var state = directory.readServerState(firstRound - 1);
            if (state.isPresent()) {
                strategy.restoreServerState(state.get());
            }
        }
        if (directory != null && firstRound == 1) {
            Map<String, Object> runJson = new LinkedHashMap<>();
            runJson.put("run_id", config.runId());
            runJson.put("strategy", strategy.name());
            runJson.put("rounds", config.rounds());
            runJson.put("seed", config.seed());
            runJson.put("sampling", strategy.sampling());
            runJson.put("round_timeout_s", config.roundTimeout().toSeconds());
            runJson.put("parameters", Map.of("tensors", global.size(), "bytes", global.byteSize()));
            runJson.put("details", config.details());
            runJson.put("versions", Versions.describe());
            runJson.put("started", java.time.Instant.now().toString());
            directory.writeRunJson(runJson);
        }
        List<RoundRecord> records = new ArrayList<>();
        long start = System.nanoTime();
        for (int round = firstRound; round <= config.rounds() && !cancelled.get(); round++) {
            listener.onRoundStart(round, config.rounds());
            RoundRecord r = playRound(round);
            records.add(r);
            if (directory != null) {
                directory.appendMetrics(r);
                if (round % config.checkpointEvery() == 0 || round == config.rounds()) {
                    directory.writeCheckpoint(config.runId(), round, global, strategy.serverState());
                }
            }
            double perRound = (System.nanoTime() - start) / 1e9 / (round - firstRound + 1);
            listener.onRoundEnd(r, config.rounds(), perRound * (config.rounds() - round));
        }
        return new Result(global, List.copyOf(records));
    }

    private RoundRecord playRound(int round) throws InterruptedException {
        long t0 = System.nanoTime();
        var sampling = strategy.sampling();
        List<NodeInfo> nodes = transport.awaitNodes(sampling.minAvailable(), config.roundTimeout());
        List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
        if (nodes.size() < sampling.minAvailable()) {
            failures.add(new Failure(
                    "*",
                    Failure.Kind.TIMEOUT,
                    "only " + nodes.size() + " of the required " + sampling.minAvailable()
                            + " nodes became available within " + config.roundTimeout()));
            return new RoundRecord(round, 0, 0, failures, false, Map.of(), Map.of(), seconds(t0));
        }
        List<Instruction> instructions = strategy.configure(config.runId(), round, config.seed(), nodes, global);
        Aggregator aggregator = strategy.newAggregator(round);
        PayloadFilter validate = new ValidationFilter(global).then(inbound);
        MetricMean fit = new MetricMean();
        transport.sendAndReceive(
                instructions,
                new Transport.ReplySink() {
                    @Override
                    public void onReply(Reply reply) {
                        try {
                            Reply valid = reply.withParams(validate.process(reply.params()));
                            aggregator.accept(valid);
                            fit.add(valid.metrics(), valid.numExamples());
                        } catch (RejectedPayloadException | IllegalArgumentException e) {
                            failures.add(new Failure(reply.nodeId(), Failure.Kind.REJECTED, e.getMessage()));
                        }
                    }

                    @Override
                    public void onFailure(Failure failure) {
                        failures.add(failure);
                    }
                },
                config.roundTimeout());

        int replies = aggregator.accepted();
        boolean enough = replies >= sampling.minReplies()
                && failures.size() <= sampling.maxFailureFraction() * instructions.size();
        Map<String, Double> eval = Map.of();
        if (enough) {
            global = strategy.update(round, global, aggregator.result());
            try {
                eval = evaluator.evaluate(round, global);
            } catch (Exception e) {
                throw new IllegalStateException("evaluation of round " + round + " failed: " + e.getMessage(), e);
            }
        }
        return new RoundRecord(round, instructions.size(), replies, failures, enough, fit.mean(), eval, seconds(t0));
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The current global shared parameters. */
    public ParamSet global() {
        return global;
    }

    /** Assembles a {@link Run}; config, strategy, transport and initial parameters are required. */
    public static final class Builder {
        private RunConfig config;
        private Strategy strategy;
        private Transport transport;
        private ParamSet initial;
        private RunDirectory directory;
        private Evaluator evaluator = Evaluator.NONE;
        private RunListener listener = RunListener.NONE;
        private PayloadFilter inbound = PayloadFilter.identity();
        private int firstRound = 1;

        public Builder setConfig(RunConfig config) {
            this.config = config;
            return this;
        }

        public Builder setStrategy(Strategy strategy) {
            this.strategy = strategy;
            return this;
        }

        public Builder setTransport(Transport transport) {
            this.transport = transport;
            return this;
        }

        /** The global shared parameters before round 1 (or before {@link #optResumeAfter}). */
        public Builder setInitial(ParamSet initial) {
            this.initial = initial;
            return this;
        }

        /** Persist run.json, metrics.jsonl and checkpoints here. */
        public Builder optDirectory(RunDirectory directory) {
            this.directory = directory;
            return this;
        }

        public Builder optEvaluator(Evaluator evaluator) {
            this.evaluator = evaluator;
            return this;
        }

        public Builder optListener(RunListener listener) {
            this.listener = listener;
            return this;
        }

        /** Extra validation or privacy filter on every reply, after the built-in validation. */
        public Builder optInbound(PayloadFilter inbound) {
            this.inbound = inbound;
            return this;
        }

        /** Continue after a completed round (resume); {@code initial} must be that round's checkpoint. */
        public Builder optResumeAfter(int completedRound) {
            if (completedRound < 0) {
                throw new IllegalArgumentException("completed round must be >= 0");
            }
            this.firstRound = completedRound + 1;
            return this;
        }

        public Run build() {
            return new Run(this);
        }
    }
}
