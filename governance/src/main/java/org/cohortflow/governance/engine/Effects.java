package org.cohortflow.governance.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cohortflow.governance.callback.CallbackRequest;
import org.cohortflow.governance.callback.CallbackType;

/**
 * What a transaction decided to do once it has committed: timers to set and callback attempts to start.
 * Nothing here happens if the transaction rolls back, so no timer or attempt exists for a state the
 * database never reached.
 */
public final class Effects {
    record Timer(long executionId, Instant due) {}

    record Launch(long executionId, int attempt, CallbackType type, CallbackRequest request) {}

    final List<Timer> timers = new ArrayList<>();
    final List<Launch> launches = new ArrayList<>();

    void schedule(long executionId, Instant due) {
        timers.add(new Timer(executionId, due));
    }

    void launch(long executionId, int attempt, CallbackType type, CallbackRequest request) {
        launches.add(new Launch(executionId, attempt, type, request));
    }
}
