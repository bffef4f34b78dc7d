package org.cohortflow.governance;

import java.util.List;
import org.cohortflow.governance.callback.CallbackType;
import org.cohortflow.server.config.ServiceConfig;

/** Callback types beyond http and task, which need more of the machine (the pipeline runner). */
final class Extensions {
    private Extensions() {}

    static List<CallbackType> callbackTypes(ServiceConfig config) {
        return List.of();
    }
}
