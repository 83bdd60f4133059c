package dev.kiln.embed;

/**
 * Receives the signals of one name that scripts emit. Called on the thread that calls
 * {@link Kiln#step}, at the end of the step in which the signal was dispatched, in emission
 * order; it may call back into {@link Kiln} (a signal it sends is delivered next step). An
 * exception it throws propagates out of {@code step}.
 */
@FunctionalInterface
public interface SignalListener {
    void onSignal(Signal signal);
}
