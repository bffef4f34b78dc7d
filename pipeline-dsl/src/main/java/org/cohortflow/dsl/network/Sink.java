package org.cohortflow.dsl.network;

import java.util.Optional;

/**
 * Where results leave a network: a link and a URL template. The template may use {@code {sample_id}},
 * {@code {sink}}, {@code {node}}, {@code {output}}, {@code {index}} (position within the sample's
 * values) and {@code {ext}} (the data type's extension).
 *
 * @param type the type the sink stores; when empty the producer's type
 */
public record Sink(String id, Optional<String> type, Link from, String url) {}
