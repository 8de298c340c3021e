package dev.atelier.core.run;

import dev.atelier.core.filter.PayloadFilter;
import dev.atelier.core.message.Failure;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.privacy.PrivacyOptions;
import dev.atelier.core.privacy.RandomBits;
import dev.atelier.core.strategy.Strategy;
import dev.atelier.core.transport.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * One federation: the round loop shared by simulation and deployment.
 *
 * <p>Per round: await nodes → {@link Strategy#configure} → transport → each reply is validated
 * and folded into the streaming aggregator as it arrives ({@link ReplyIntake}, the one place
 * replies are validated) → {@link Strategy#update} → coordinator-side evaluation → federated
 * evaluation when {@link RunConfig#evaluatesAfter} the round → checkpoint and metrics line.
 *
 * <p>Round rules:
 * <ul>
 *   <li><b>One deadline.</b> The training exchange has one deadline, {@link RunConfig#roundTimeout}
 *       from the attempt's start: waiting for nodes and collecting replies share it (the transport
 *       gets what is left). The federated evaluation phase gets a fresh deadline of the same length.
 *   <li><b>Too few nodes is not a round.</b> When fewer than the sampling's {@code minAvailable}
 *       nodes are available at the deadline, the round is not played: nothing is sent, nothing is
 *       recorded or checkpointed, the round number does not advance. The run tells
 *       {@link RunListener#onRoundWaiting} and attempts the same round again (within an attempt the
 *       transport is asked every second, see {@link NodeQuorum}); the played round's
 *       record counts the attempts in {@link RoundRecord#nodeWaits()}. {@link #cancel()} ends the
 *       wait within a second; {@link Builder#optMaxNodeWaits} bounds it (unbounded by default).
 *   <li><b>Every reply is accounted for.</b> A reply that fails validation, reports 0 examples or
 *       breaks the coordinator while being taken is a {@link Failure} with a reason (REJECTED, or
 *       ERROR for a coordinator-side error) and never touches the global model. A round with fewer
 *       valid replies than the sampling's minimum, more failures than its tolerated fraction, or a
 *       failed aggregation keeps the global model unchanged.
 *   <li><b>Federated evaluation</b> runs only after a round that produced a new global model:
 *       {@link Strategy#configureEvaluate} picks nodes, they score the model on their local
 *       held-out data, and their metrics are averaged weighted by held-out example counts.
 *   <li><b>Privacy</b> ({@link Builder#optPrivacy}): with secure aggregation a round is
 *       {@link SecAggRound}'s five exchanges and the strategy updates from the exact dequantised
 *       mean; with DP-FedAvg nodes are Poisson-sampled, updates clipped and noised (centrally, or
 *       by the nodes under SecAgg), and every record carries epsilon so far ({@link RoundPrivacy}).
 *       Robust strategies are refused at build time (they need individual updates).
 * </ul>
 *
 * <p>Not thread-safe; {@link #cancel()} may be called from any thread and stops after the
 * current round (a wait for nodes ends within a second).
 */
public final class Run {
    private final RunConfig config;
    private final Strategy strategy;
    private final Transport transport;
    private final RunDirectory directory;
    private final Evaluator evaluator;
    private final RunListener listener;
    private final Duration diskRetryBackoff;
    private final PayloadFilter inbound;
    private final int firstRound;
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private final NodeQuorum quorum;
    private final ReplyLimits replyLimits;
    private final RunPrivacy privacy;
    private ParamSet global;

    private Run(Builder b) {
        this.config = Objects.requireNonNull(b.config, "config");
        this.strategy = Objects.requireNonNull(b.strategy, "strategy");
        this.transport = Objects.requireNonNull(b.transport, "transport");
        this.global = Objects.requireNonNull(b.initial, "initial parameters");
        this.directory = b.directory;
        this.evaluator = b.evaluator;
        this.listener = b.listener;
        this.diskRetryBackoff = b.diskRetryBackoff;
        this.inbound = b.inbound;
        this.firstRound = b.firstRound;
        this.replyLimits = b.replyLimits;
        this.quorum = new NodeQuorum(transport, config.roundTimeout(), b.maxNodeWaits, listener, cancelled);
        this.privacy =
                b.privacy.any() ? RunPrivacy.plan(b.privacy, strategy, config.rounds(), global, b.privacyBits) : null;
        if (privacy != null) {
            privacy.alreadyPlayed(firstRound - 1);
            if (privacy.adaptiveClip() && firstRound > 1 && directory != null) {
                privacy.resumeClipNorm(lastClipNorm(directory, firstRound - 1));
            }
        }
    }

    /** The adaptive clip norm the completed round chose, from its metrics line. */
    private static double lastClipNorm(RunDirectory directory, int round) {
        return directory.readMetrics().stream()
                .filter(r -> r.round() == round)
                .reduce((a, b) -> b)
                .flatMap(RoundRecord::privacy)
                .flatMap(RoundPrivacy::nextClipNorm)
                .orElseThrow(() -> new IllegalStateException("cannot resume adaptive clipping: metrics.jsonl has no"
                        + " next clip norm for round " + round));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Result of a finished (or cancelled) run. */
    public record Result(ParamSet global, List<RoundRecord> rounds) {}

    public void cancel() {
        cancelled.countDown();
    }

    private boolean isCancelled() {
        return cancelled.getCount() == 0;
    }

    /**
     * Plays the rounds.
     *
     * @throws IllegalStateException when a round found too few nodes {@code maxNodeWaits} times, or
     *                               the coordinator-side evaluator failed
     */
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
            directory.writeRunJson(runJson());
        }
        RoundPersistence persistence =
                directory == null ? null : new RoundPersistence(directory, listener, diskRetryBackoff, firstRound - 1);
        List<RoundRecord> records = new ArrayList<>();
        long start = System.nanoTime();
        for (int round = firstRound; round <= config.rounds() && !isCancelled(); round++) {
            listener.onRoundStart(round, config.rounds());
            RoundRecord r = playRound(round);
            if (r == null) {
                break; // cancelled while waiting for nodes: the round was not played
            }
            records.add(r);
            if (persistence != null) {
                // a cancelled run (SIGTERM) checkpoints its last round, so a restart does not replay it
                boolean checkpoint = round % config.checkpointEvery() == 0 || round == config.rounds() || isCancelled();
                persistence.save(config.runId(), r, checkpoint, global, strategy.serverState());
            }
            double perRound = (System.nanoTime() - start) / 1e9 / (round - firstRound + 1);
            listener.onRoundEnd(r, config.rounds(), perRound * (config.rounds() - round));
        }
        return new Result(global, List.copyOf(records));
    }

    private Map<String, Object> runJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run_id", config.runId());
        m.put("strategy", strategy.name());
        m.put("rounds", config.rounds());
        m.put("seed", config.seed());
        m.put("sampling", strategy.sampling());
        m.put("round_timeout_s", config.roundTimeout().toSeconds());
        m.put("evaluate_every", config.evaluateEvery());
        m.put(
                "reply_limits",
                Map.of(
                        "max_examples", replyLimits.maxExamples(),
                        "max_update_norm_ratio",
                                Double.isFinite(replyLimits.maxUpdateNormRatio())
                                        ? replyLimits.maxUpdateNormRatio()
                                        : "off",
                        "norm_floor_rms", replyLimits.normFloorRms()));
        m.put("parameters", Map.of("tensors", global.size(), "bytes", global.byteSize()));
        if (privacy != null) {
            m.put("privacy", privacy.describe());
        }
        m.put("details", config.details());
        m.put("versions", Versions.describe());
        m.put("started", java.time.Instant.now().toString());
        return m;
    }

    /** Plays one round; null when cancelled before enough nodes were available. */
    private RoundRecord playRound(int round) throws InterruptedException {
        long t0 = System.nanoTime();
        NodeQuorum.Attempt attempt = quorum.await(round, strategy.sampling().minAvailable());
        if (attempt == null) {
            return null;
        }
        List<NodeInfo> nodes = attempt.nodes();
        if (privacy != null) {
            return playPrivateRound(round, t0, attempt);
        }
        List<Instruction> instructions = strategy.configure(config.runId(), round, config.seed(), nodes, global);
        ReplyIntake fit = ReplyIntake.training(
                instructions,
                nodes,
                replyLimits,
                strategy.replyTemplate(global),
                inbound,
                strategy.newAggregator(round));
        Aggregation outcome = exchangeAndAggregate(round, instructions, fit, attempt.remaining());
        return finishRound(
                round,
                t0,
                attempt,
                instructions.size(),
                fit.accepted(),
                outcome,
                fit.metrics().mean(),
                Optional.empty());
    }

    /** A round under secure aggregation and/or DP ({@link RunPrivacy}). */
    private RoundRecord playPrivateRound(int round, long t0, NodeQuorum.Attempt attempt) throws InterruptedException {
        List<NodeInfo> nodes = privacy.sample(attempt.nodes());
        List<Instruction> instructions = privacy.dp() != null
                ? strategy.instructionsFor(config.runId(), round, config.seed(), nodes, global)
                : strategy.configure(config.runId(), round, config.seed(), nodes, global);
        var sampling = strategy.sampling();
        RunPrivacy.Played played;
        if (privacy.secAgg() != null) {
            SecAggRound.Outcome o = new SecAggRound(
                            config.runId(),
                            round,
                            privacy.secAgg(),
                            privacy.secAggDp(attempt.nodes().size()),
                            transport,
                            config.roundTimeout(),
                            privacy.bits())
                    .play(instructions, nodes, replyLimits, global, attempt.remaining());
            List<Failure> failures = new ArrayList<>(o.failures());
            long failedNodes = failures.stream()
                    .map(Failure::nodeId)
                    .filter(n -> !n.equals("*"))
                    .distinct()
                    .count();
            boolean enough = o.aggregate() != null
                    && o.contributors() >= sampling.minReplies()
                    && failedNodes <= sampling.maxFailureFraction() * instructions.size();
            if (o.aggregate() != null && !enough) {
                failures.add(new Failure(
                        "*",
                        Failure.Kind.ERROR,
                        "too few contributors (" + o.contributors() + ") or too many failures (" + failedNodes
                                + "): global model kept"));
            }
            if (enough) {
                global = strategy.update(round, global, o.aggregate());
            }
            played = new RunPrivacy.Played(
                    o.contributors(),
                    o.dropped(),
                    o.aborted(),
                    enough ? o.snr() : null,
                    o.noisyCentredCount(),
                    true,
                    attempt.nodes().size());
            return finishRound(
                    round,
                    t0,
                    attempt,
                    instructions.size(),
                    o.contributors(),
                    new Aggregation(enough, failures),
                    o.fit().mean(),
                    Optional.of(privacy.record(played)));
        }
        var dpAggregator = privacy.centralAggregator(global, attempt.nodes().size());
        ReplyIntake fit = ReplyIntake.training(instructions, nodes, replyLimits, global, inbound, dpAggregator);
        Aggregation outcome = instructions.isEmpty()
                ? new Aggregation(false, List.of(new Failure("*", Failure.Kind.ERROR, "Poisson sampling drew no node")))
                : exchangeAndAggregate(round, instructions, fit, attempt.remaining());
        var report = dpAggregator.report();
        // adaptive clipping: the coordinator clipped every update itself, so it knows the clean bits
        double centred = (dpAggregator.accepted() - dpAggregator.clipped()) - dpAggregator.accepted() / 2.0;
        played = new RunPrivacy.Played(
                fit.accepted(),
                0,
                null,
                outcome.aggregated() && report != null ? dpAggregator.snrEstimate() : null,
                centred,
                false,
                attempt.nodes().size());
        return finishRound(
                round,
                t0,
                attempt,
                instructions.size(),
                fit.accepted(),
                outcome,
                Map.of(), // the nodes' training metrics are not covered by the DP noise: not published
                Optional.of(privacy.record(played)));
    }

    /** Coordinator-side and federated evaluation after a round, and its record. */
    private RoundRecord finishRound(
            int round,
            long t0,
            NodeQuorum.Attempt attempt,
            int sampled,
            int replies,
            Aggregation outcome,
            Map<String, Double> fitMean,
            Optional<RoundPrivacy> roundPrivacy)
            throws InterruptedException {

        Map<String, Double> eval = Map.of();
        Optional<FederatedEvaluation> federated = Optional.empty();
        if (outcome.aggregated()) {
            try {
                eval = evaluator.evaluate(round, global);
            } catch (Exception e) {
                throw new IllegalStateException("evaluation of round " + round + " failed: " + e.getMessage(), e);
            }
            if (config.evaluatesAfter(round)) {
                federated = Optional.of(evaluateFederated(round));
            }
        }
        return new RoundRecord(
                round,
                sampled,
                replies,
                outcome.failures(),
                outcome.aggregated(),
                fitMean,
                eval,
                seconds(t0),
                federated,
                attempt.waits(),
                roundPrivacy);
    }

    private record Aggregation(boolean aggregated, List<Failure> failures) {}

    /** The training exchange and, when enough valid replies arrived, the global model's update. */
    private Aggregation exchangeAndAggregate(int round, List<Instruction> instructions, ReplyIntake fit, Duration left)
            throws InterruptedException {
        transport.sendAndReceive(instructions, fit, left);
        var sampling = strategy.sampling();
        List<Failure> failures = new ArrayList<>(fit.failures());
        boolean enough = fit.accepted() >= sampling.minReplies()
                && failures.size() <= sampling.maxFailureFraction() * instructions.size();
        if (enough && fit.aggregateBroken() != null) {
            failures.add(new Failure("*", Failure.Kind.ERROR, fit.aggregateBroken()));
            enough = false;
        }
        if (enough) {
            try {
                ParamSet aggregate = fit.aggregate();
                global = strategy.update(round, global, aggregate);
            } catch (RuntimeException e) {
                // e.g. Krum with too few replies for its f: the round is closed, the model kept.
                failures.add(new Failure(
                        "*", Failure.Kind.ERROR, "aggregation failed, global model kept: " + ReplyIntake.describe(e)));
                enough = false;
            }
        }
        return new Aggregation(enough, failures);
    }

    /** Flower's configure_evaluate + aggregate_evaluate over the nodes available now. */
    private FederatedEvaluation evaluateFederated(int round) throws InterruptedException {
        List<NodeInfo> available = transport.awaitNodes(1, Duration.ZERO);
        List<Instruction> instructions =
                strategy.configureEvaluate(config.runId(), round, config.seed(), available, global);
        ReplyIntake intake = ReplyIntake.evaluation(instructions, available, replyLimits);
        if (!instructions.isEmpty()) {
            transport.sendAndReceive(instructions, intake, config.roundTimeout());
        }
        return new FederatedEvaluation(
                instructions.size(), intake.accepted(), intake.metrics().mean(), intake.examples(), intake.failures());
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
        private Duration diskRetryBackoff = Duration.ofMillis(500);
        private PayloadFilter inbound = PayloadFilter.identity();
        private int firstRound = 1;
        private int maxNodeWaits;
        private ReplyLimits replyLimits = ReplyLimits.DEFAULT;
        private PrivacyOptions privacy = PrivacyOptions.none();
        private RandomBits privacyBits;

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

        /** First pause before retrying a failed metrics or checkpoint write (default 500 ms, then doubling). */
        public Builder optDiskRetryBackoff(Duration backoff) {
            if (backoff.isNegative()) {
                throw new IllegalArgumentException("disk retry backoff must be >= 0, got " + backoff);
            }
            this.diskRetryBackoff = backoff;
            return this;
        }

        /** Extra validation or privacy filter on every training reply, after the built-in validation. */
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

        /**
         * Give up (execute throws) after a round found too few nodes this many times in a row;
         * 0, the default, waits until nodes come or the run is cancelled.
         */
        public Builder optMaxNodeWaits(int maxNodeWaits) {
            if (maxNodeWaits < 0) {
                throw new IllegalArgumentException("maxNodeWaits must be >= 0 (0 = unbounded), got " + maxNodeWaits);
            }
            this.maxNodeWaits = maxNodeWaits;
            return this;
        }

        /** Bounds on a reply's weight and update norm; {@link ReplyLimits#DEFAULT} unless set. */
        public Builder optReplyLimits(ReplyLimits replyLimits) {
            this.replyLimits = Objects.requireNonNull(replyLimits, "replyLimits");
            return this;
        }

        /**
         * Secure aggregation and/or DP-FedAvg ({@link PrivacyOptions}); none by default.
         *
         * @throws IllegalArgumentException at {@link #build} when the strategy cannot run with them
         *     (a robust strategy needs individual updates)
         */
        public Builder optPrivacy(PrivacyOptions privacy) {
            this.privacy = Objects.requireNonNull(privacy, "privacy");
            return this;
        }

        /** Randomness of Poisson sampling, the SecAgg graph and central noise; the JDK DRBG unless set (tests). */
        public Builder optPrivacyBits(RandomBits bits) {
            this.privacyBits = Objects.requireNonNull(bits, "bits");
            return this;
        }

        public Run build() {
            return new Run(this);
        }
    }
}
