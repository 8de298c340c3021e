package dev.atelier.sketch.demo;

import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.Reply;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.strategy.TrainKeys;
import dev.atelier.core.workload.Workload;
import dev.atelier.sketch.train.SketchTrainer;

/**
 * A designer's node in the demo federation: loads the round's global critic, runs the local GAN
 * steps and returns the whole critic. What may leave the node is decided by the node's outbound
 * filter ({@code SketchGan.SHARED_DISC}), not here.
 */
final class DesignerWorkload implements Workload {
    private final String name;
    private final SketchTrainer trainer;
    private final Runnable onStep;

    DesignerWorkload(String name, SketchTrainer trainer, Runnable onStep) {
        this.name = name;
        this.trainer = trainer;
        this.onStep = onStep;
    }

    @Override
    public Reply handle(Instruction ins) {
        int steps = ins.config().getInt(TrainKeys.LOCAL_STEPS, 11);
        float mu = (float) ins.config().getDouble(TrainKeys.PROXIMAL_MU, 0);
        ParamSet global = ins.params().isEmpty() ? null : ins.params();
        var m = trainer.trainSteps(steps, global, mu, x -> onStep.run());
        return new Reply(name, ins.round(), trainer.model().discriminatorParams(), trainer.data().size(), m.toMap(), null);
    }
}
