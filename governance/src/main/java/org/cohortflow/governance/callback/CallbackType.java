package org.cohortflow.governance.callback;

import org.cohortflow.governance.workflow.CallbackCatalog;

/**
 * A kind of callback the engine can run ({@code http}, {@code task}, {@code pipeline}, {@code export}).
 * One attempt is one call of {@link #run}; the engine handles timeouts, retries and the result.
 */
public interface CallbackType extends AutoCloseable {

    /** The name used in workflow files. */
    String name();

    /** The arguments a workflow may give; checked when a workflow is loaded. */
    CallbackCatalog.Arguments arguments();

    /**
     * Runs one attempt. It may finish the callback, or start something that will answer later on the
     * callback URL with the secret ({@link Outcome.Waiting}).
     *
     * @throws Exception for a failed attempt (the message becomes the callback's message)
     */
    Outcome run(CallbackRequest request) throws Exception;

    /** Releases what the type holds (a Spark session); the governor calls it when it stops. */
    @Override
    default void close() {
    }
}
