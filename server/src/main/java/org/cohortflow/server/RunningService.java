package org.cohortflow.server;

import java.net.URI;

/** A started service; closing it stops it and releases its port and database. */
public interface RunningService extends AutoCloseable {

    /** The service's name. */
    String name();

    /** Where it answers, {@code http://HOST:PORT}. */
    URI baseUri();

    /** Stops the service. */
    @Override
    void close();
}
