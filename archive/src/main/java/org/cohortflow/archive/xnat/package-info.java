/**
 * A small client of XNAT's REST API (projects, subjects, experiments, scans, resources, files), written against
 * XNAT's public API documentation. No XNAT server can be installed where cohortflow is built, so this client has
 * not been run against one: its tests cover URL building, the ResultSet JSON format and safe unpacking.
 */
package org.cohortflow.archive.xnat;
