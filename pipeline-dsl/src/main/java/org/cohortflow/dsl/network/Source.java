package org.cohortflow.dsl.network;

/** Where data enters a network; its samples form a dimension named after it. */
public record Source(String id, String type, String description) {}
