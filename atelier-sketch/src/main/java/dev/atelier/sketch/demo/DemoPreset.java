package dev.atelier.sketch.demo;

import dev.atelier.sketch.fed.Schedule;
import dev.atelier.sketch.train.LossWeights;

/**
 * The demo's two presets; the only place their numbers are written (the CLI's help and
 * docs/demo.md quote them from here). Both share the designers' training and federation settings;
 * they differ in schedule, budgets and evaluation size.
 */
public enum DemoPreset {
    /** The paper's schedule (warm-up, then 11 rounds × 11 local steps) at batch 8: about 5 minutes on 2 cores. */
    STANDARD(Schedule.defaults(), new DemoSettings.Budget(500, 300, 120), new DemoSettings.Evaluation(20, 8, 10, 50)),
    /** A smoke run ({@code --quick}, CI): the same pipeline with a tiny schedule and evaluation. */
    QUICK(new Schedule(4, 2, 3), new DemoSettings.Budget(120, 80, 6), new DemoSettings.Evaluation(3, 4, 3, 10));

    private static final DemoSettings.Training TRAINING =
            new DemoSettings.Training(8, LossWeights.defaults().adversarial());
    /** FedGAI: plain FedAvg over the critic, no personalisation, each designer's own style. */
    private static final DemoSettings.Federation FEDGAI = new DemoSettings.Federation(0, 1, 1);

    private final Schedule schedule;
    private final DemoSettings.Budget budget;
    private final DemoSettings.Evaluation evaluation;

    DemoPreset(Schedule schedule, DemoSettings.Budget budget, DemoSettings.Evaluation evaluation) {
        this.schedule = schedule;
        this.budget = budget;
        this.evaluation = evaluation;
    }

    public Schedule schedule() {
        return schedule;
    }

    public DemoSettings.Budget budget() {
        return budget;
    }

    public DemoSettings.Evaluation evaluation() {
        return evaluation;
    }

    public DemoSettings.Training training() {
        return TRAINING;
    }

    public DemoSettings.Federation federation() {
        return FEDGAI;
    }
}
