package dev.kiln.reload;

/** Receives reload events; called from the build thread and the frame thread. */
@FunctionalInterface
public interface ReloadListener {
    void onEvent(ReloadEvent event);
}
