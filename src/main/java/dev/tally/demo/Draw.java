package dev.tally.demo;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToIntFunction;

/** Random choices for the demo, always from a seeded generator so that the demo is the same every time. */
final class Draw {
    private Draw() {
    }

    static boolean chance(SplittableRandom random, double probability) {
        return random.nextDouble() < probability;
    }

    /** A whole number from least to most, both included. */
    static int between(SplittableRandom random, int least, int most) {
        return least + random.nextInt(most - least + 1);
    }

    static <T> T one(SplittableRandom random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    static <T> T weighted(SplittableRandom random, List<T> choices, ToIntFunction<T> weight) {
        int total = 0;
        for (T choice : choices) {
            total += weight.applyAsInt(choice);
        }
        int point = random.nextInt(total);
        for (T choice : choices) {
            point -= weight.applyAsInt(choice);
            if (point < 0) {
                return choice;
            }
        }
        throw new IllegalStateException("weights must be positive");
    }

    static int weightedIndex(SplittableRandom random, double[] weights) {
        double total = 0;
        for (double weight : weights) {
            total += weight;
        }
        double point = random.nextDouble() * total;
        for (int index = 0; index < weights.length; index++) {
            point -= weights[index];
            if (point < 0) {
                return index;
            }
        }
        return weights.length - 1;
    }
}
