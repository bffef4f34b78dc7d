package org.cohortflow.tasks.viewer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cohortflow.server.http.Api;

/**
 * Serves the reviewer's page: the HTML, style sheet and the one bundled script (NiiVue included), all from
 * the jar, so the page works on a network without internet access. Only these fixed names are served; the
 * page logs in itself and then calls the API.
 */
public final class ViewerRoutes {
    /** Where the Maven build puts the bundle (tasks/pom.xml, npm run build). */
    static final String STATIC = "org/cohortflow/tasks/viewer/static/";
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "viewer.js", "text/javascript; charset=utf-8",
            "viewer.css", "text/css; charset=utf-8");

    private final Map<String, byte[]> content = new LinkedHashMap<>();

    /**
     * Loads the bundle from the class path.
     *
     * @throws IllegalStateException when the jar was built without the viewer (npm skipped)
     */
    public ViewerRoutes() {
        for (String name : FILES.keySet()) {
            try (InputStream in = ViewerRoutes.class.getClassLoader().getResourceAsStream(STATIC + name)) {
                if (in == null) {
                    throw new IllegalStateException("the viewer is not bundled (" + STATIC + name + " is missing): build "
                            + "the tasks module with Maven, which runs npm ci and the bundler");
                }
                content.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Registers {@code /}, {@code /viewer.js} and {@code /viewer.css}. */
    public void register(Api api) {
        api.publicGet("/", "The reviewer's page (log in, my queue, the viewer)", ctx -> serve(ctx, "index.html"));
        api.publicGet("/viewer.js", "The viewer's script (NiiVue bundled)", ctx -> serve(ctx, "viewer.js"));
        api.publicGet("/viewer.css", "The viewer's style sheet", ctx -> serve(ctx, "viewer.css"));
    }

    private void serve(io.javalin.http.Context ctx, String name) {
        ctx.contentType(FILES.get(name));
        ctx.header("Cache-Control", "no-cache");
        ctx.result(content.get(name));
    }
}
