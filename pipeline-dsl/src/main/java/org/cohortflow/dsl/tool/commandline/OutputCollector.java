package org.cohortflow.dsl.tool.commandline;

/**
 * How the values of one output of a command-line tool are found after it ran. In YAML:
 * {@code collect: {glob: "*.nii.gz"}}, {@code collect: {stdout: "volume: (\\S+)"}} or
 * {@code collect: {json: result.json, pointer: /volume}}.
 */
public sealed interface OutputCollector {

    /** Files in the job's output folder matching a glob, in name order. */
    record PathGlob(String glob) implements OutputCollector {}

    /** Each match of a regular expression in standard output: its first group, or the whole match. */
    record StdoutRegex(String regex) implements OutputCollector {}

    /**
     * A value in a JSON file the tool writes into its output folder, addressed by a JSON pointer; an
     * array gives one value per element.
     */
    record JsonFile(String file, String pointer) implements OutputCollector {}
}
