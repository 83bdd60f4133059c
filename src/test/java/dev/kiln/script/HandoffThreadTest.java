package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The frame thread's hand-off: work runs on the thread, in the order handed over, whether it
 * was expected (the thread polling) or not (the thread woken); an expected hand-over that will
 * not come is cancelled; closing runs what is queued.
 */
class HandoffThreadTest {
    @Test
    void workRunsInOrderExpectedOrNot() throws Exception {
        List<Integer> ran = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        try (HandoffThread handoff = new HandoffThread("test-handoff")) {
            handoff.execute(() -> ran.add(1)); // nothing expected: wakes it
            handoff.expect();
            for (int k = 2; k <= 50; k++) {
                int n = k;
                handoff.execute(() -> ran.add(n)); // polled for
            }
            handoff.execute(done::countDown);
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(ran).hasSize(50);
        for (int k = 0; k < 50; k++) assertThat(ran.get(k)).isEqualTo(k + 1);
    }

    @Test
    void aHandOverThatWillNotComeStopsThePollingForIt() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        try (HandoffThread handoff = new HandoffThread("test-handoff")) {
            handoff.expect();
            handoff.expect();
            assertThat(handoff.expected()).isEqualTo(2);
            handoff.unexpect(); // a swap refused: its hand-over is not polled for
            assertThat(handoff.expected()).isEqualTo(1);
            handoff.execute(done::countDown); // the other one comes
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            handoff.unexpect(); // more cancels than expects never go below nothing expected
            assertThat(handoff.expected()).isZero();
        }
    }

    @Test
    void workThatThrowsDoesNotStopTheThreadAndClosingRunsWhatIsQueued() {
        List<String> ran = new CopyOnWriteArrayList<>();
        HandoffThread handoff = new HandoffThread("test-handoff");
        Thread.UncaughtExceptionHandler quiet = (thread, e) -> ran.add("reported " + e.getMessage());
        handoff.execute(() -> Thread.currentThread().setUncaughtExceptionHandler(quiet));
        handoff.execute(() -> {
            throw new IllegalStateException("boom");
        });
        handoff.execute(() -> {
            throw new AssertionError("an error"); // an Error too: a dead thread would lose every later close
        });
        handoff.execute(() -> ran.add("after"));
        handoff.close();
        assertThat(ran).containsExactly("reported boom", "reported an error", "after");
        assertThatThrownBy(() -> handoff.execute(() -> ran.add("late"))).isInstanceOf(RejectedExecutionException.class);
    }
}
