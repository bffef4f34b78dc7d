package org.cohortflow.executors;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.cohortflow.dsl.network.Network;
import org.cohortflow.dsl.network.Sink;
import org.cohortflow.dsl.validate.NetworkValidator;
import org.cohortflow.executors.storage.Storage;

/**
 * Where a run's sinks write, decided when the run starts rather than fixed in the network file (fastr's sink data
 * given at execution time): {@code --sink ID=URL} replaces a sink's url template, and a relative template (the
 * network's or a {@code --sink}'s) is resolved against the output folder, {@code --out DIR}, by default
 * {@code cohortflow-out/RUN-ID} in the current folder. The result is a network whose sink templates are all
 * absolute, so the containment checks of {@link org.cohortflow.executors.storage.SinkTarget} apply to them
 * unchanged.
 *
 * @param out       the {@code --out} folder (a path or a Hadoop URI), if given
 * @param overrides {@code --sink ID=URL} templates by sink id
 */
public record SinkLocations(Optional<String> out, Map<String, String> overrides) {
    /** No {@code --out}, no {@code --sink}: the network's templates, relative ones under {@link #DEFAULT_OUT}. */
    public static final SinkLocations DEFAULT = new SinkLocations(Optional.empty(), Map.of());

    /** The folder, relative to the current folder, under which a run's relative sinks go without {@code --out}. */
    public static final String DEFAULT_OUT = "cohortflow-out";

    public SinkLocations {
        overrides = Map.copyOf(overrides);
        out.ifPresent(o -> {
            if (o.isBlank()) {
                throw new IllegalArgumentException("--out needs a folder");
            }
        });
    }

    /** The folder relative sink templates are resolved against, as a URI ending in '/'. */
    public URI base(String runId) {
        URI u = Storage.toUri(out.orElse(DEFAULT_OUT + "/" + runId)).normalize();
        return u.toString().endsWith("/") ? u : URI.create(u + "/");
    }

    /**
     * {@code network} with its sinks' templates replaced and resolved.
     *
     * @throws IllegalArgumentException for a {@code --sink} naming no sink of the network, or a url that cannot be
     *                                  written to safely (unknown scheme, {@code ..}, control characters)
     */
    public Network apply(Network network, String runId) {
        for (String id : overrides.keySet()) {
            if (network.sink(id).isEmpty()) {
                List<String> known = network.sinks().stream().map(Sink::id).toList();
                throw new IllegalArgumentException("--sink " + id + "=...: the network has no sink '" + id + "' (its sinks: "
                        + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
        URI base = base(runId);
        List<Sink> sinks = new ArrayList<>();
        for (Sink s : network.sinks()) {
            String url = overrides.getOrDefault(s.id(), s.url());
            Optional<String> problem = NetworkValidator.sinkUrlProblem(url);
            if (problem.isPresent()) {
                throw new IllegalArgumentException((overrides.containsKey(s.id()) ? "--sink " : "sink ") + s.id() + ": "
                        + problem.get());
            }
            sinks.add(new Sink(s.id(), s.type(), s.from(), NetworkValidator.isRelativeSinkUrl(url) ? base + url : url));
        }
        return new Network(network.id(), network.description(), network.sources(), network.constants(), network.nodes(),
                sinks);
    }
}
