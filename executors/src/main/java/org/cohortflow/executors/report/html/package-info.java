/**
 * The report kit: what every self-contained HTML page of cohortflow shares (the run's {@code report.html},
 * the demo's and the cohort benchmark's reports). Pages are one file with inline CSS and SVG, no scripts,
 * fonts or downloads, so they open anywhere, offline, and can be archived with a run.
 *
 * <p>It lives in {@code executors} because the run report is written by the executors' {@code RunEngine},
 * and the demo ({@code cli}) and the benchmarks already depend on {@code executors}; a module of its own
 * would hold three small classes.
 */
package org.cohortflow.executors.report.html;
