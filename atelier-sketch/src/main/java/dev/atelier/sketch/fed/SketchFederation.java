package dev.atelier.sketch.fed;

import dev.atelier.core.filter.PayloadFilter;
import dev.atelier.core.message.Config;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.privacy.PrivacyOptions;
import dev.atelier.core.privacy.RandomBits;
import dev.atelier.core.privacy.secagg.SecAggNode;
import dev.atelier.core.run.RoundRecord;
import dev.atelier.core.run.Run;
import dev.atelier.core.run.RunConfig;
import dev.atelier.core.run.RunDirectory;
import dev.atelier.core.run.RunListener;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.strategy.Strategy;
import dev.atelier.core.strategy.StrategySpec;
import dev.atelier.core.strategy.TrainKeys;
import dev.atelier.core.transport.InProcessTransport;
import dev.atelier.core.transport.Transport;
import dev.atelier.core.transport.WireLedger;
import dev.atelier.core.util.Seeds;
import dev.atelier.core.workload.Node;
import dev.atelier.core.workload.NodeMiddleware;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import dev.atelier.sketch.model.StyleCard;
import dev.atelier.sketch.privacy.CriticDpSgd;
import dev.atelier.sketch.privacy.DpSgdSettings;
import dev.atelier.sketch.train.CriticOnlyRecords;
import dev.atelier.sketch.train.SketchPairs;
import dev.atelier.sketch.train.SketchTrainer;
import dev.atelier.sketch.train.StepMetrics;
import dev.atelier.sketch.train.TrainerSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Runs FedGAI over designers in one JVM: one {@link SketchWorkload} per designer in the same
 * {@link Node} a deployed designer runs ({@link SketchWorkloadProvider#node}: the
 * {@link SketchSharing} middleware), the core {@link Run} over an
 * {@link InProcessTransport} (parameters cross as safetensors bytes, counted in the
 * {@link WireLedger}), example-weighted FedAvg or, with {@code mu > 0}, FedProx over the shared
 * critic. The same designers, seeds and schedule run the {@link Regime#LOCAL_ONLY} and
 * {@link Regime#CENTRALIZED} baselines.
 *
 * <p>Seeds: every model is initialised from the federation seed (so all designers and the global
 * critic start equal); a designer samples batches from {@link #designerSeed} of its name. Use
 * {@link #builder()}; {@link #run()} may be called once.
 */
public final class SketchFederation {
    private final ParamSet encoder;
    private final Map<String, SketchPairs> designers;
    /** Per designer: records only her critic trains on (the audit's canaries). */
    private final Map<String, CriticOnlyRecords> criticOnly;

    private final Regime regime;
    private final Schedule schedule;
    private final double proximalMu;
    private final double criticMix;
    private final double criticShrinkage;
    private final StrategySpec serverStrategy;
    private final int personalRounds;
    private final boolean equalCriticWeights;
    private final List<String> personalCritic;
    private final boolean shareBatchNorm;
    private final int criticAdaptSteps;
    private final SketchGanConfig modelConfig;
    private final TrainerSettings trainerSettings;
    private final long seed;
    private final Set<String> sharingCards;
    private final boolean secureCards;
    private final FederationListener listener;
    private final RunDirectory directory;
    private final WireAudit audit;
    private final int evaluateEvery;
    private final DpSgdSettings criticDp;
    private final PrivacyOptions.SecAgg secAgg;
    private final ScriptedDropouts dropouts;
    private long done;
    private final java.util.concurrent.atomic.LongAdder trainingNanos = new java.util.concurrent.atomic.LongAdder();

    private SketchFederation(Builder b) {
        this.encoder = Objects.requireNonNull(b.encoder, "encoder (public feature network) is required");
        if (b.designers.isEmpty()) {
            throw new IllegalArgumentException("a sketch federation needs at least one designer");
        }
        this.designers = new LinkedHashMap<>(b.designers);
        this.criticOnly = Map.copyOf(b.criticOnly);
        if (!designers.keySet().containsAll(b.sharingCards)) {
            throw new IllegalArgumentException(
                    "designers opting in to share style cards are unknown: " + b.sharingCards);
        }
        if (b.secureCards && !b.sharingCards.isEmpty() && b.sharingCards.size() < 3) {
            throw new IllegalArgumentException("secure style cards need at least 3 sharing designers (SecAgg+), got "
                    + b.sharingCards.size() + ": with fewer the mean would reveal each card");
        }
        if (!(b.proximalMu >= 0) || Double.isInfinite(b.proximalMu)) {
            throw new IllegalArgumentException("proximal mu must be finite and >= 0, got " + b.proximalMu);
        }
        this.regime = b.regime;
        this.schedule = b.schedule;
        this.proximalMu = b.proximalMu;
        if (!(b.criticMix >= 0 && b.criticMix <= 1)) {
            throw new IllegalArgumentException("critic mix must be in [0, 1], got " + b.criticMix);
        }
        this.criticMix = b.criticMix;
        SketchWorkload.checkShrinkage(b.criticShrinkage, b.criticMix);
        this.criticShrinkage = b.criticShrinkage;
        if (b.serverStrategy != null && b.proximalMu > 0) {
            throw new IllegalArgumentException("give either a server strategy (" + b.serverStrategy.text()
                    + ") or FedProx's mu (" + b.proximalMu + "), not both");
        }
        this.serverStrategy = b.serverStrategy;
        if (b.personalRounds < 0 || b.personalRounds >= b.schedule.rounds()) {
            throw new IllegalArgumentException("personal rounds must be in [0, rounds - 1] = [0, "
                    + (b.schedule.rounds() - 1) + "], got " + b.personalRounds);
        }
        this.personalRounds = b.personalRounds;
        this.equalCriticWeights = b.equalCriticWeights;
        this.personalCritic = List.copyOf(b.personalCritic);
        this.shareBatchNorm = b.shareBatchNorm;
        if (b.criticAdaptSteps < 0 || (b.criticAdaptSteps > 0 && b.proximalMu > 0)) {
            throw new IllegalArgumentException(
                    "critic adaptation steps must be >= 0, and 0 with FedProx, got " + b.criticAdaptSteps);
        }
        this.criticAdaptSteps = b.criticAdaptSteps;
        this.modelConfig = b.modelConfig;
        this.trainerSettings = b.trainerSettings;
        this.seed = b.seed;
        this.sharingCards = Set.copyOf(b.sharingCards);
        this.secureCards = b.secureCards;
        this.listener = b.listener;
        this.directory = b.directory;
        this.audit = b.audit;
        this.evaluateEvery = b.evaluateEvery;
        if (b.secAgg != null && b.regime != Regime.FEDERATED) {
            throw new IllegalArgumentException("secure aggregation needs the federated regime, got " + b.regime.key());
        }
        if (b.secAgg != null && b.designers.size() < 3) {
            throw new IllegalArgumentException("secure aggregation of the critic needs at least 3 designers (SecAgg+),"
                    + " got " + b.designers.size() + ": with fewer the sum would reveal each update");
        }
        if (!b.dropouts.isEmpty() && b.secAgg == null) {
            throw new IllegalArgumentException(
                    "scripted dropouts need secure aggregation (a plain round fails instead)");
        }
        if (!designers.keySet().containsAll(b.dropouts.designers())) {
            throw new IllegalArgumentException("scripted dropouts name unknown designers: " + b.dropouts.designers());
        }
        this.secAgg = b.secAgg;
        this.dropouts = b.dropouts;
        // The target epsilon is met after this schedule's critic steps.
        this.criticDp = b.criticDp == null
                ? null
                : new DpSgdSettings(b.criticDp.dp(), (long) schedule.rounds() * schedule.localSteps());
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Seed of a designer's batch sampling, {@code Seeds.derive(federationSeed, "batches", designer)}:
     * keyed by the designer's name, so the designer draws the same batches here and as a deployed
     * node ({@link SketchWorkloadProvider}).
     */
    public static long designerSeed(long federationSeed, String designer) {
        return Seeds.derive(federationSeed, "batches", designer);
    }

    /** Local steps of the whole run over all designers (warm-up included), for progress bars. */
    public long totalSteps() {
        return (long) designers.size() * schedule.stepsPerDesigner();
    }

    /** Trains every designer under the configured regime. */
    public FederationOutcome run() throws IOException, InterruptedException {
        long start = System.nanoTime();
        List<SketchWorkload> workloads = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        boolean ok = false;
        try {
            for (var e : designers.entrySet()) {
                String name = e.getKey();
                CriticOnlyRecords extra = criticOnly.getOrDefault(name, CriticOnlyRecords.NONE);
                LocalHoldOut.Split split = evaluateEvery > 0
                        ? LocalHoldOut.split(e.getValue())
                        : new LocalHoldOut.Split(e.getValue(), LocalHoldOut.none());
                SketchTrainer trainer = SketchTrainer.builder()
                        .setModel(SketchGan.create(encoder, modelConfig, seed))
                        .setData(split.train())
                        .optCriticOnlyRecords(extra)
                        .optSettings(trainerSettings.withSeed(designerSeed(seed, name)))
                        .optCriticDp(
                                criticDp == null
                                        ? null
                                        : CriticDpSgd.plan(
                                                criticDp,
                                                split.train().size() + extra.size(),
                                                trainerSettings.batchSize(),
                                                RandomBits.secure()))
                        .build();
                SketchWorkload w = new SketchWorkload(name, trainer, schedule.warmupSteps(), null, split.heldOut());
                w.setStepListener(m -> step(name, m));
                workloads.add(w);
                Node node = SketchWorkloadProvider.node(name, w, sharingCards.contains(name), shareBatchNorm);
                // Inside SecAgg: times the designer's local training alone, so a round's protocol
                // cost is its wall time minus this (the in-process transport runs nodes in turn).
                node = node.withOuter((ins, cancel, next) -> {
                    if (ins.kind() != dev.atelier.core.message.TaskKind.TRAIN) {
                        return next.handle(ins, cancel);
                    }
                    long t0 = System.nanoTime();
                    try {
                        return next.handle(ins, cancel);
                    } finally {
                        trainingNanos.add(System.nanoTime() - t0);
                    }
                });
                if (secureCards || secAgg != null) {
                    node = node.withOuter(new SecAggNode()); // inside the audit: it sees the masked vectors
                }
                if (!dropouts.isEmpty()) {
                    node = node.withOuter(dropouts.middleware(runId())); // outside SecAgg: the stage never reaches it
                }
                if (audit != null) {
                    // Outermost, so it sees the reply exactly as it leaves the node.
                    node = node.withOuter(NodeMiddleware.filtering(PayloadFilter.identity(), p -> {
                        audit.leaving(name, p);
                        return p;
                    }));
                }
                nodes.add(node);
            }
            for (SketchWorkload w : workloads) {
                w.warmup();
            }
            double warmupSeconds = (System.nanoTime() - start) / 1e9;
            try (InProcessTransport transport = new InProcessTransport(nodes)) {
                ParamSet initial = shareBatchNorm
                        ? SketchGan.SHARED_DISC_WITH_BN.process(
                                workloads.get(0).trainer().model().discriminatorParams())
                        : workloads.get(0).trainer().model().sharedDiscriminatorParams();
                List<RoundSummary> rounds = new ArrayList<>();
                ParamSet critic = switch (regime) {
                    case FEDERATED -> federated(transport, initial, workloads, rounds);
                    case LOCAL_ONLY -> localOnly(workloads, rounds);
                    case CENTRALIZED -> centralized(workloads, rounds);
                };
                // Training is over: free the encoded-data caches (rebuilt lazily if training resumes).
                workloads.forEach(w -> w.trainer().releaseCache());
                // her tone curve, from her model as it ends and her own sketches (stays on her machine)
                workloads.forEach(w -> w.trainer().fitToneCurve());
                StyleCard card = sharingCards.isEmpty()
                        ? null
                        : secureCards
                                ? StyleCardCollector.collectSecurely(
                                        transport,
                                        workloads.stream()
                                                .map(SketchWorkload::designer)
                                                .filter(sharingCards::contains)
                                                .toList(),
                                        workloads.get(0).trainer().ownStyleCard(),
                                        RandomBits.secure())
                                : StyleCardCollector.collect(
                                        transport,
                                        workloads.stream()
                                                .map(SketchWorkload::designer)
                                                .toList());
                Map<String, SketchTrainer> trainers = new LinkedHashMap<>();
                workloads.forEach(w -> trainers.put(w.designer(), w.trainer()));
                ok = true;
                return new FederationOutcome(
                        regime,
                        trainers,
                        rounds,
                        critic,
                        card,
                        transport.ledger(),
                        warmupSeconds,
                        (System.nanoTime() - start) / 1e9);
            }
        } finally {
            if (!ok) {
                workloads.forEach(SketchWorkload::close);
            }
        }
    }

    private String runId() {
        return directory == null
                ? "sketch-federated"
                : directory.path().getFileName().toString();
    }

    private void step(String designer, StepMetrics m) {
        listener.onStep(designer, ++done, totalSteps(), m);
    }

    private ParamSet federated(
            Transport transport, ParamSet initial, List<SketchWorkload> workloads, List<RoundSummary> rounds)
            throws IOException, InterruptedException {
        Map<String, Object> keys = new LinkedHashMap<>(Map.of(
                TrainKeys.LOCAL_STEPS,
                schedule.localSteps(),
                SketchKeys.CRITIC_MIX,
                criticMix,
                SketchKeys.EQUAL_CRITIC_WEIGHTS,
                equalCriticWeights,
                SketchKeys.PERSONAL_CRITIC,
                String.join(",", personalCritic)));
        if (criticAdaptSteps > 0) { // absent by default: the instruction is the one it always was
            keys.put(SketchKeys.CRITIC_ADAPT_STEPS, criticAdaptSteps);
        }
        if (criticShrinkage > 0) {
            keys.put(SketchKeys.CRITIC_SHRINKAGE, criticShrinkage);
        }
        Config train = Config.of(keys);
        int n = workloads.size();
        // Plain FedGAI needs every designer; under SecAgg+ up to a third may drop out of a round.
        Sampling all = secAgg == null ? new Sampling(1.0, n, n, 0.0) : new Sampling(1.0, n, n - n / 3, 1.0 / 3);
        StrategySpec spec = serverStrategy != null
                ? serverStrategy
                : proximalMu > 0 ? new StrategySpec.FedProxSpec(proximalMu) : new StrategySpec.FedAvgSpec();
        int sharedRounds = schedule.rounds() - personalRounds;
        Strategy strategy = spec.create(all, train);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("workload", "sketch");
        details.put("designers", List.copyOf(designers.keySet()));
        details.put("schedule", schedule.toString());
        details.put("shared", (shareBatchNorm ? SketchGan.SHARED_DISC_WITH_BN : SketchGan.SHARED_DISC).rules());
        details.put("strategy", spec.text());
        if (personalRounds > 0) {
            details.put("personal_rounds", personalRounds);
        }
        if (secAgg != null) {
            details.put("secagg", Map.of("num_shares", secAgg.numShares(), "threshold", secAgg.threshold()));
        }
        RunConfig config =
                new RunConfig(runId(), sharedRounds, seed, Duration.ofHours(1), sharedRounds, evaluateEvery, details);
        Run.Result result = Run.builder()
                .setConfig(config)
                .setStrategy(strategy)
                .setTransport(transport)
                .setInitial(
                        personalCritic.isEmpty()
                                ? initial
                                : dev.atelier.core.filter.GlobFilter.exclude(personalCritic.toArray(String[]::new))
                                        .process(initial))
                .optDirectory(directory)
                .optPrivacy(
                        secAgg == null
                                ? PrivacyOptions.none()
                                : new PrivacyOptions(java.util.Optional.of(secAgg), java.util.Optional.empty()))
                .optListener(new RunListener() {
                    @Override
                    public void onRoundEnd(RoundRecord r, int totalRounds, double eta) {
                        // Under SecAgg+ a dropout is a failure of a round that still aggregated.
                        if (!r.aggregated() || (secAgg == null && !r.failures().isEmpty())) {
                            throw new IllegalStateException("round " + r.round() + " failed: "
                                    + r.privacy().flatMap(p -> p.aborted()).orElse("") + " " + r.failures());
                        }
                        record(
                                rounds,
                                r.round(),
                                workloads,
                                r.seconds(),
                                r.privacy().orElse(null));
                    }
                })
                .build()
                .execute();
        // Personalisation: the last rounds train each designer's critic on her own sketches only,
        // starting from the critic of her last federated round (the global one plus her steps).
        localRounds(workloads, rounds, sharedRounds + 1);
        return result.global();
    }

    private ParamSet localOnly(List<SketchWorkload> workloads, List<RoundSummary> rounds) {
        localRounds(workloads, rounds, 1);
        return ParamSet.empty();
    }

    /** Rounds {@code first..rounds} of local training, every critic on its own designer's data. */
    private void localRounds(List<SketchWorkload> workloads, List<RoundSummary> rounds, int first) {
        for (int r = first; r <= schedule.rounds(); r++) {
            long t0 = System.nanoTime();
            for (SketchWorkload w : workloads) {
                w.trainRound(schedule.localSteps(), null, 0f);
            }
            record(rounds, r, workloads, (System.nanoTime() - t0) / 1e9, null);
        }
    }

    private ParamSet centralized(List<SketchWorkload> workloads, List<RoundSummary> rounds) {
        // The whole critic, BatchNorm included, travels from designer to designer: it sees every sketch
        // set. A designer projection stays with its designer (one row per designer of a conditional critic).
        var travelling = dev.atelier.core.filter.GlobFilter.exclude(SketchGan.DESIGNER_PROJECTION);
        ParamSet central = travelling.process(workloads.get(0).trainer().model().discriminatorParams());
        for (int r = 1; r <= schedule.rounds(); r++) {
            long t0 = System.nanoTime();
            for (SketchWorkload w : workloads) {
                w.trainRound(schedule.localSteps(), central, 0f);
                central = travelling.process(w.trainer().model().discriminatorParams());
            }
            record(rounds, r, workloads, (System.nanoTime() - t0) / 1e9, null);
        }
        return central;
    }

    private void record(
            List<RoundSummary> rounds,
            int round,
            List<SketchWorkload> workloads,
            double seconds,
            dev.atelier.core.run.RoundPrivacy privacy) {
        Map<String, StepMetrics> per = new LinkedHashMap<>();
        for (SketchWorkload w : workloads) {
            per.put(w.designer(), w.lastRound());
        }
        RoundSummary s = new RoundSummary(round, per, seconds, trainingNanos.sumThenReset() / 1e9, privacy);
        rounds.add(s);
        listener.onRound(s, schedule.rounds());
    }

    /** Sees what leaves a designer's node, after its filters (audit logs, tests on the wire). */
    @FunctionalInterface
    public interface WireAudit {
        void leaving(String designer, ParamSet params);
    }

    /** Builds a {@link SketchFederation}; the encoder and at least one designer are required. */
    public static final class Builder {
        private ParamSet encoder;
        private final Map<String, SketchPairs> designers = new LinkedHashMap<>();
        private final Map<String, CriticOnlyRecords> criticOnly = new LinkedHashMap<>();
        private Regime regime = Regime.FEDERATED;
        private Schedule schedule = Schedule.defaults();
        private double proximalMu;
        private double criticMix = 1;
        private double criticShrinkage;
        private StrategySpec serverStrategy;
        private int personalRounds;
        private boolean equalCriticWeights;
        private List<String> personalCritic = List.of();
        private boolean shareBatchNorm;
        private int criticAdaptSteps;
        private SketchGanConfig modelConfig = SketchGanConfig.defaults();
        private TrainerSettings trainerSettings = TrainerSettings.defaults(0);
        private long seed;
        private final Set<String> sharingCards = new LinkedHashSet<>();
        private boolean secureCards;
        private FederationListener listener = FederationListener.NONE;
        private RunDirectory directory;
        private WireAudit audit;
        private int evaluateEvery;
        private DpSgdSettings criticDp;
        private PrivacyOptions.SecAgg secAgg;
        private ScriptedDropouts dropouts = ScriptedDropouts.none();

        private Builder() {}

        /**
         * The federated regime's critic updates travel under SecAgg+ (the core protocol through
         * {@link Run}: key agreement, Shamir shares, masked quantised vectors, unmasking): the
         * coordinator learns only the example-weighted mean update, up to a third of the designers
         * may drop out of a round. Needs at least 3 designers. Null (default) is plain FedAvg.
         */
        public Builder optSecureAggregation(PrivacyOptions.SecAgg settings) {
            this.secAgg = settings;
            return this;
        }

        /** Designers that drop out at a given round and stage (demo, tests); needs secure aggregation. */
        public Builder optDropouts(ScriptedDropouts dropouts) {
            this.dropouts = Objects.requireNonNull(dropouts, "dropouts");
            return this;
        }

        /**
         * Every designer trains her critic with per-sketch DP-SGD ({@link CriticDpSgd}); the
         * target epsilon (if given) is met after this federation's rounds × local steps, whatever
         * {@code settings.plannedSteps()} says. Null (default) is off.
         */
        public Builder optCriticDp(DpSgdSettings settings) {
            this.criticDp = settings;
            return this;
        }

        /** The public feature network (FeatureNet weights under the prefix {@code net}): every designer's frozen encoder. */
        public Builder setEncoder(ParamSet publicFeatureNet) {
            this.encoder = publicFeatureNet;
            return this;
        }

        /** Adds a designer (node) with its private data; names must be unique. */
        public Builder addDesigner(String name, SketchPairs data) {
            if (designers.putIfAbsent(Objects.requireNonNull(name, "name"), Objects.requireNonNull(data, "data"))
                    != null) {
                throw new IllegalArgumentException("duplicate designer '" + name + "'");
            }
            return this;
        }

        /**
         * Adds a designer whose critic also trains on {@code criticOnly}: records that are no
         * generator target (the privacy audit's canaries; {@link CriticOnlyRecords}). A DP-SGD
         * critic is planned for her pairs plus these.
         */
        public Builder addDesigner(String name, SketchPairs data, CriticOnlyRecords criticOnly) {
            addDesigner(name, data);
            if (!criticOnly.isEmpty()) {
                this.criticOnly.put(name, criticOnly);
            }
            return this;
        }

        public Builder optRegime(Regime regime) {
            this.regime = Objects.requireNonNull(regime, "regime");
            return this;
        }

        public Builder optSchedule(Schedule schedule) {
            this.schedule = Objects.requireNonNull(schedule, "schedule");
            return this;
        }

        /** FedProx coefficient for the federated regime; 0 (default) is FedAvg. */
        public Builder optProximalMu(double mu) {
            this.proximalMu = mu;
            return this;
        }

        /**
         * Personalisation for the federated regime: each designer starts a round from
         * {@code mix · global + (1 − mix) · own critic}; 1 (default) is FedGAI.
         */
        public Builder optCriticMix(double mix) {
            this.criticMix = mix;
            return this;
        }

        /**
         * Personalisation for the federated regime by each designer's amount of data: she starts a
         * round from {@code m · global + (1 − m) · own critic} with {@code m = κ / (κ + her pairs)}
         * ({@link SketchKeys#CRITIC_SHRINKAGE}); 0 (default) is off. Not with {@link #optCriticMix} below 1.
         */
        public Builder optCriticShrinkage(double kappa) {
            this.criticShrinkage = kappa;
            return this;
        }

        /**
         * The coordinator's strategy over the shared critic in the federated regime, e.g.
         * {@code StrategyRegistry.parse("fedadam:eta=0.01")} (server-side Adam on the averaged
         * update). Null (default): FedAvg, or FedProx when {@link #optProximalMu} is above 0.
         */
        public Builder optServerStrategy(StrategySpec spec) {
            this.serverStrategy = spec;
            return this;
        }

        /**
         * Personalisation for the federated regime: the last {@code rounds} of the schedule train
         * every designer's critic locally (no averaging), from her critic after the last shared
         * round; 0 (default) shares every round. Must leave at least one shared round.
         */
        public Builder optPersonalRounds(int rounds) {
            this.personalRounds = rounds;
            return this;
        }

        /**
         * The federated regime's mean critic weighs every designer equally (true) instead of by her
         * number of training pairs (false, default: FedAvg); see {@link SketchKeys#EQUAL_CRITIC_WEIGHTS}.
         */
        public Builder optEqualCriticWeights(boolean equal) {
            this.equalCriticWeights = equal;
            return this;
        }

        /**
         * Critic layers every designer keeps to herself in the federated regime (globs over
         * {@code disc.**} names, e.g. {@code disc.head.**}); see {@link SketchKeys#PERSONAL_CRITIC}.
         * Empty (default): the whole shared critic is federated.
         */
        public Builder optPersonalCritic(List<String> globs) {
            for (String g : globs) {
                if (g.isBlank() || g.contains(",") || !g.startsWith(SketchGan.DISC + ".")) {
                    throw new IllegalArgumentException(
                            "personal critic globs name critic tensors (disc.…) without commas, got '" + g + "'");
                }
            }
            this.personalCritic = List.copyOf(globs);
            return this;
        }

        /**
         * The federated regime also averages the critic's BatchNorm layers, weights and running
         * statistics ({@link SketchGan#SHARED_DISC_WITH_BN}); false (default) keeps them local (FedBN).
         */
        /**
         * Federated regime: every designer first runs {@code steps} critic-only steps on her own
         * sketches from the round's global critic, then her GAN steps ({@link SketchKeys#CRITIC_ADAPT_STEPS});
         * 0 (default) trains the generator against the global critic from the round's first step.
         */
        public Builder optCriticAdaptSteps(int steps) {
            this.criticAdaptSteps = steps;
            return this;
        }

        public Builder optShareBatchNorm(boolean share) {
            this.shareBatchNorm = share;
            return this;
        }

        public Builder optModelConfig(SketchGanConfig config) {
            this.modelConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Trainer settings for every designer; the seed is replaced per designer. */
        public Builder optTrainerSettings(TrainerSettings settings) {
            this.trainerSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Designers who opt in to share their style card (for {@link FederationOutcome#federationCard()}). */
        public Builder optShareStyleCards(Set<String> designerNames) {
            sharingCards.addAll(designerNames);
            return this;
        }

        /**
         * Collect the shared style cards under SecAgg+ ({@link StyleCardCollector#collectSecurely}):
         * the coordinator learns only the weighted mean card, never one designer's. Needs at least
         * 3 sharing designers. Off by default (cards travel in the clear to the coordinator).
         */
        public Builder optSecureStyleCards(boolean secure) {
            this.secureCards = secure;
            return this;
        }

        public Builder optListener(FederationListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Persist the federated run's run.json, metrics.jsonl and global-critic checkpoints here. */
        public Builder optRunDirectory(RunDirectory directory) {
            this.directory = directory;
            return this;
        }

        /**
         * Federated evaluation every {@code every} rounds of the federated regime (0, the default,
         * is off). When on, every designer (in every regime, so they compare on equal data) holds
         * out every 10th pair ({@link LocalHoldOut}) and trains on the rest; the federated run's
         * records then carry the designers' held-out {@code l1} and {@code ssim}.
         */
        public Builder optEvaluateEvery(int every) {
            if (every < 0) {
                throw new IllegalArgumentException("evaluateEvery must be >= 0 (0 = off), got " + every);
            }
            this.evaluateEvery = every;
            return this;
        }

        /** Observes every payload after the node's sharing filter, i.e. exactly what the transport sends. */
        public Builder optWireAudit(WireAudit audit) {
            this.audit = audit;
            return this;
        }

        public SketchFederation build() {
            return new SketchFederation(this);
        }
    }
}
