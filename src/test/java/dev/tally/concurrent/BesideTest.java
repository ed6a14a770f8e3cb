package dev.tally.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.error.Rejection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class BesideTest {

    @Test
    void aQuestionRunsWhileTheCallerWorksAndItsAnswerArrives() throws InterruptedException {
        CountDownLatch callerWorking = new CountDownLatch(1);
        Supplier<String> answer = Beside.start(() -> {
            try {
                // finishes only while the caller is still at its own work: the two ran at once
                return callerWorking.await(10, TimeUnit.SECONDS) ? "beside" : "after";
            } catch (InterruptedException interrupted) {
                throw new IllegalStateException(interrupted);
            }
        });
        callerWorking.countDown();
        assertThat(answer.get()).isEqualTo("beside");
    }

    @Test
    void whatTheQuestionThrowsIsThrownByItsAnswer() {
        Supplier<Object> answer = Beside.start(() -> {
            throw Rejection.invalid("start", "is after end");
        });
        assertThatThrownBy(answer::get).isInstanceOf(Rejection.class).hasMessageContaining("is after end");
    }

    @Test
    void moreQuestionsThanHelpersRunOnTheCallersThreadInstead() {
        CountDownLatch release = new CountDownLatch(1);
        List<Supplier<String>> answers = new ArrayList<>();
        for (int question = 0; question < 12; question++) {
            answers.add(Beside.start(() -> {
                if (!Thread.currentThread().getName().equals("report-beside")) {
                    return "caller";
                }
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
                return "helper";
            }));
        }
        release.countDown();
        List<String> where = answers.stream().map(Supplier::get).toList();
        assertThat(where).contains("caller").containsOnly("caller", "helper");
    }
}
