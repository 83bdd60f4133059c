package dev.kiln.rewind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.ecs.World;
import org.junit.jupiter.api.Test;

/**
 * The recorder's hash interval K: the smallest K whose hash every K frames costs at most
 * {@link Recorder#HASH_BUDGET_FRACTION} of the frame, between 1 and {@link Recorder#HASH_INTERVAL_MAX}.
 */
class RecorderIntervalTest {
    @Test
    void theIntervalKeepsTheHashWithinItsShareOfTheFrame() {
        // A 1 ms hash on a 1 ms frame: 3 % of 1 ms is 30 µs, so every 34th frame (1/34 ms ≈ 29 µs).
        assertThat(Recorder.interval(1_000_000, 1_000_000)).isEqualTo(34);
        // A hash far cheaper than the budget: every frame.
        assertThat(Recorder.interval(1_000, 1_000_000)).isEqualTo(1);
        // A hash far dearer than the budget allows: capped, so a divergence search stays bounded.
        assertThat(Recorder.interval(1e9, 1_000)).isEqualTo(Recorder.HASH_INTERVAL_MAX);
    }

    @Test
    void aFixedIntervalOutsideItsBoundsIsRefused() {
        Recorder r = new Recorder(new World(), null, () -> 0, 0);
        assertThatThrownBy(() -> r.hashEvery(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a hash interval is 1 to " + Recorder.HASH_INTERVAL_MAX + " frames, found 0");
        r.hashEvery(7);
        assertThat(r.hashInterval()).isEqualTo(7);
    }
}
