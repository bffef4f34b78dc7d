package org.cohortflow.server.http;

import com.fasterxml.jackson.core.JacksonException;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.cohortflow.server.auth.Authenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of a service: a Javalin 7 server with strict JSON, errors as {@code {"error","field"}},
 * {@code /health} and {@code /openapi.json} built from the endpoints the service registered through
 * {@link Api}.
 */
public final class ServiceServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceServer.class);
    private final Javalin app;
    private final String host;
    private final List<Operation> operations;

    private ServiceServer(Javalin app, String host, List<Operation> operations) {
        this.app = app;
        this.host = host;
        this.operations = operations;
    }

    /**
     * What a server needs besides its routes.
     *
     * @param service  service name (title of the OpenAPI document, {@code /health})
     * @param version  version shown in the OpenAPI document
     * @param host     interface to bind
     * @param port     port, 0 for an ephemeral one
     * @param healthy  answers whether the service can work (e.g. its database answers)
     */
    public record Options(String service, String version, String host, int port, BooleanSupplier healthy) {}

    /**
     * Builds and starts a server.
     *
     * @param routes registers the service's endpoints
     */
    public static ServiceServer start(Options options, Authenticator auth, Json json, Consumer<Api> routes) {
        Api[] api = new Api[1];
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jsonMapper(new JavalinJackson(json.mapper(), false));
            config.jetty.host = options.host();
            config.jetty.port = options.port();
            config.http.maxRequestSize = 16L * 1024 * 1024;
            api[0] = new Api(config.routes, auth, json);
            config.routes.exception(ApiError.class, (e, ctx) -> {
                ctx.status(e.status()).json(error(e.getMessage(), e.field()));
            });
            config.routes.exception(JacksonException.class, (e, ctx) ->
                    ctx.status(400).json(error("malformed JSON: " + e.getOriginalMessage(), null)));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                ctx.status(500).json(error("internal error: " + e, null));
            });
            // Javalin answers unknown paths and methods by throwing these; answer them in our error shape.
            config.routes.exception(io.javalin.http.HttpResponseException.class, (e, ctx) ->
                    ctx.status(e.getStatus()).json(error(e.getMessage(), null)));
            api[0].publicGet("/health", "Whether the service is up and its database answers", ctx -> {
                boolean ok = options.healthy().getAsBoolean();
                ctx.status(ok ? 200 : 503).json(Map.of("service", options.service(), "status", ok ? "ok" : "unavailable"));
            });
            routes.accept(api[0]);
            api[0].publicGet("/openapi.json", "This document", ctx -> ctx.json(
                    OpenApiDocument.build("cohortflow " + options.service(), options.version(), api[0].operations())));
        });
        app.start();
        LOG.info("{} listening on http://{}:{}", options.service(), options.host(), app.port());
        return new ServiceServer(app, options.host(), api[0].operations());
    }

    private static Map<String, Object> error(String message, String field) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        m.put("field", field);
        return m;
    }

    /** The port actually bound. */
    public int port() {
        return app.port();
    }

    /** {@code http://HOST:PORT} of this server. */
    public URI baseUri() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : h) + ":" + port());
    }

    /** Every registered endpoint (the OpenAPI document's content). */
    public List<Operation> operations() {
        return operations;
    }

    /** Stops the server. */
    @Override
    public void close() {
        app.stop();
    }
}
