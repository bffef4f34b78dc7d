package org.cohortflow.executors.commandline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.cohortflow.dsl.tool.PortSpec;
import org.cohortflow.dsl.tool.ToolDefinition;
import org.cohortflow.dsl.tool.commandline.CommandLineSpec;
import org.cohortflow.dsl.tool.commandline.OutputCollector;
import org.cohortflow.dsl.types.DataType;
import org.cohortflow.dsl.types.FileType;
import org.cohortflow.dsl.types.InvalidFileException;
import org.cohortflow.dsl.types.TypeGroup;
import org.cohortflow.dsl.types.TypeRegistry;
import org.cohortflow.dsl.types.ValueType;
import org.cohortflow.executors.process.JobFolder;
import org.cohortflow.executors.process.ToolProcesses;
import org.cohortflow.executors.task.Timeouts;
import org.cohortflow.executors.task.Values;

/**
 * Runs one job of a command-line tool on this machine: renders the arguments from staged inputs, runs
 * the program in a private folder with stdout and stderr captured to files, enforces the timeout (killing
 * the program's whole process tree), then collects every output (glob, stdout regex or JSON) and checks it
 * against its data type and cardinality. Processes start through {@link ToolProcesses}, so that none
 * outlives this JVM.
 */
public final class CommandLineRunner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TAIL_LINES = 20;

    private final TypeRegistry types;
    private final ToolProcesses processes;

    public CommandLineRunner(TypeRegistry types, ToolProcesses processes) {
        this.types = types;
        this.processes = processes;
    }

    /**
     * What a run gave. Outputs hold {@link Path}s for file types and parsed values for value types.
     *
     * @param command the argument vector, executable first
     */
    public record Result(List<String> command, int exitCode, Path stdout, Path stderr,
                         Map<String, List<Object>> outputs) {}

    /** The program ran but failed: non-zero exit, timeout, or outputs that do not fit their types. */
    public static final class CommandFailedException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient List<String> command;
        private final Integer exitCode;
        private final String stderrTail;

        CommandFailedException(String message, List<String> command, Integer exitCode, String stderrTail) {
            super(message);
            this.command = command;
            this.exitCode = exitCode;
            this.stderrTail = stderrTail;
        }

        public List<String> command() {
            return command;
        }

        public Integer exitCode() {
            return exitCode;
        }

        public String stderrTail() {
            return stderrTail;
        }
    }

    /**
     * Runs the tool.
     *
     * @param inputs  per input port its values: {@link Path}s of staged files, or values of value types
     * @param workDir an empty local folder for this job, inside {@code folder}; the tool's {@code $out} is
     *                {@code workDir/out}
     * @param limit   how long the program may run before it is killed and the job fails
     * @param folder  the job's folder, where the process is recorded
     */
    public Result run(ToolDefinition tool, Map<String, List<Object>> inputs, Path workDir, Timeouts.Limit limit,
                      JobFolder folder) throws IOException, InterruptedException, CommandFailedException {
        CommandLineSpec spec = (CommandLineSpec) tool.implementation();
        Path out = Files.createDirectories(workDir.resolve("out"));
        Map<String, List<String>> texts = new LinkedHashMap<>();
        inputs.forEach((port, vs) -> texts.put(port, vs.stream()
                .map(v -> v instanceof Path p ? p.toAbsolutePath().toString() : Values.format(v)).toList()));
        List<String> command = new ArrayList<>();
        command.add(spec.executable());
        command.addAll(spec.render(texts, out.toAbsolutePath().toString()));

        Path stdout = workDir.resolve("stdout.txt");
        Path stderr = workDir.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        limitThreads(pb.environment(), spec.resources().cores());
        Process p;
        try {
            requireExecutable(spec.executable(), workDir);
            p = processes.start(pb, folder);
        } catch (IOException e) {
            throw new CommandFailedException("cannot start " + spec.executable() + ": " + e.getMessage(), command,
                    null, "");
        }
        boolean finished = false;
        try {
            finished = p.waitFor(limit.duration().toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            if (!finished) {
                processes.kill(p); // timed out, or this thread was interrupted (the task was killed)
            }
            processes.finished(p);
        }
        if (!finished) {
            throw new CommandFailedException("tool " + tool.id() + " timed out after " + Timeouts.human(limit.duration())
                    + " and was killed with every process it started (" + limit.origin() + ")", command, null,
                    tail(stderr));
        }
        int code = p.exitValue();
        if (code != 0) {
            throw new CommandFailedException("exited with code " + code, command, code, tail(stderr));
        }
        Map<String, List<Object>> outputs = new LinkedHashMap<>();
        for (PortSpec port : tool.outputs()) {
            OutputCollector c = spec.collectors().get(port.id());
            List<Object> values = new ArrayList<>();
            try {
                for (String text : collect(c, out, stdout)) {
                    values.add(typed(port, text, out));
                }
            } catch (IllegalArgumentException | InvalidFileException e) {
                throw new CommandFailedException("output '" + port.id() + "': " + e.getMessage(), command, code,
                        tail(stderr));
            }
            if (!port.cardinality().accepts(values.size())) {
                throw new CommandFailedException("output '" + port.id() + "' has " + values.size()
                        + " value(s) but takes " + port.cardinality(), command, code, tail(stderr));
            }
            outputs.put(port.id(), values);
        }
        return new Result(command, code, stdout, stderr, outputs);
    }

    /**
     * Fails the way starting the program itself would, before a {@code setsid} wrapper could hide it behind
     * its own exit code.
     */
    private static void requireExecutable(String executable, Path workDir) throws IOException {
        if (executable.contains("/")) {
            if (!Files.isExecutable(workDir.resolve(executable))) {
                throw new IOException(executable + " is not an executable file");
            }
            return;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir.isEmpty() ? "." : dir, executable))) {
                return;
            }
        }
        throw new IOException("no executable '" + executable + "' on the PATH");
    }

    /**
     * Numerical libraries size their thread pools from these; without them a 1-core job of an ITK or
     * OpenMP program takes every core of the machine.
     */
    private static void limitThreads(Map<String, String> env, int cores) {
        String n = Integer.toString(cores);
        for (String k : List.of("OMP_NUM_THREADS", "ITK_GLOBAL_DEFAULT_NUMBER_OF_THREADS", "MKL_NUM_THREADS",
                "OPENBLAS_NUM_THREADS", "NSLOTS")) {
            env.put(k, n);
        }
    }

    private List<String> collect(OutputCollector c, Path out, Path stdout) throws IOException {
        if (c instanceof OutputCollector.PathGlob g) {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + g.glob());
            try (Stream<Path> s = Files.walk(out)) {
                return s.filter(p -> !p.equals(out) && m.matches(out.relativize(p)))
                        .map(p -> out.relativize(p).toString()).sorted().toList();
            }
        }
        if (c instanceof OutputCollector.StdoutRegex r) {
            // Lenient like the stderr tail: a stray Latin-1 byte in a program's chatter must not hide the value.
            String text = new String(Files.readAllBytes(stdout), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile(r.regex(), Pattern.MULTILINE).matcher(text);
            List<String> found = new ArrayList<>();
            while (m.find()) {
                found.add(m.groupCount() > 0 ? m.group(1) : m.group());
            }
            return found;
        }
        OutputCollector.JsonFile j = (OutputCollector.JsonFile) c;
        Path f = out.resolve(j.file());
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException("the tool did not write " + j.file());
        }
        JsonNode node = JSON.readTree(f.toFile()).at(j.pointer() == null ? "" : j.pointer());
        if (node.isMissingNode()) {
            throw new IllegalArgumentException(j.file() + " has nothing at " + j.pointer());
        }
        List<JsonNode> items = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(items::add);
        } else {
            items.add(node);
        }
        return items.stream().map(n -> n.isValueNode() ? n.asText() : n.toString()).toList();
    }

    private Object typed(PortSpec port, String text, Path out) throws InvalidFileException {
        DataType t = types.find(port.type()).orElseThrow(() -> new IllegalArgumentException("unknown type " + port.type()));
        if (t instanceof ValueType v) {
            return v.parse(text);
        }
        Path p = out.resolve(text).normalize();
        FileType ft = fileType(t, p);
        ft.validate(p);
        return p;
    }

    private FileType fileType(DataType t, Path p) {
        if (t instanceof FileType f) {
            return f;
        }
        if (t instanceof TypeGroup g) {
            String name = p.getFileName().toString();
            return types.membersOf(g.name()).stream().filter(m -> m instanceof FileType).map(m -> (FileType) m)
                    .filter(f -> !f.extensions().isEmpty() && f.matchesName(name) && f.directory() == Files.isDirectory(p))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException(p + " is no member of " + g.name()));
        }
        throw new IllegalArgumentException("type " + t.name() + " cannot hold a path");
    }

    /** At most this many bytes from the end of a log are read for its tail. */
    private static final int TAIL_BYTES = 64 * 1024;

    /**
     * The last lines of a text file, for reports. Programs write what they like to stderr (a path in
     * Latin-1, a progress bar, binary): bytes that are not UTF-8 become U+FFFD instead of losing the
     * whole tail, and only the end of a huge log is read.
     */
    public static String tail(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long from = Math.max(0, size - TAIL_BYTES);
            ByteBuffer buffer = ByteBuffer.allocate((int) (size - from));
            while (buffer.hasRemaining() && ch.read(buffer, from + buffer.position()) >= 0) {
                // read until full or end of file
            }
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(text.lines().toList());
            if (from > 0 && !lines.isEmpty()) {
                lines.remove(0); // cut in the middle
            }
            return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** A command as one could paste it into a shell. */
    public static String quote(List<String> command) {
        return command.stream().map(a -> a.matches("[A-Za-z0-9_./=:,+@%-]+") ? a : "'" + a.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }
}
