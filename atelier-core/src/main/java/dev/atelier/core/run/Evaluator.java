package dev.atelier.core.run;

import dev.atelier.core.params.ParamSet;
import java.util.Map;

/** Coordinator-side evaluation of the global model after each round (Flower's evaluate_fn). */
@FunctionalInterface
public interface Evaluator {
    Map<String, Double> evaluate(int round, ParamSet global) throws Exception;

    Evaluator NONE = (round, global) -> Map.of();
}
