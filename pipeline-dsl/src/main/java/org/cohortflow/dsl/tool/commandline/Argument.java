package org.cohortflow.dsl.tool.commandline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One element of a command-line tool's argument template. In YAML: a plain string is a
 * {@link Literal}; {@code {value: port, prefix: "-o"}} a {@link Value}; {@code {if: port, then: [...],
 * else: [...]}} a {@link Conditional}; {@code {repeat: port, args: [...]}} a {@link Repeated}.
 */
public sealed interface Argument {

    /** The input ids this argument reads. */
    List<String> references();

    /** Text passed as it is. */
    record Literal(String text) implements Argument {
        @Override
        public List<String> references() {
            return List.of();
        }
    }

    /**
     * The value(s) of an input. With a prefix ending in {@code =} each value renders as one argument
     * {@code prefix+value}; with another prefix as {@code prefix value} (the prefix once before all values).
     * An input without a value renders nothing, prefix included.
     */
    record Value(String input, String prefix) implements Argument {
        @Override
        public List<String> references() {
            return List.of(input);
        }
    }

    /** {@code then} when the input has a value that is not {@code false}, else {@code otherwise}. */
    record Conditional(String input, List<Argument> then, List<Argument> otherwise) implements Argument {
        public Conditional {
            then = List.copyOf(then);
            otherwise = List.copyOf(otherwise);
        }

        @Override
        public List<String> references() {
            List<String> r = new ArrayList<>(List.of(input));
            then.forEach(a -> r.addAll(a.references()));
            otherwise.forEach(a -> r.addAll(a.references()));
            return r;
        }
    }

    /** {@code each} once per value of the input; inside it the input stands for the current value. */
    record Repeated(String input, List<Argument> each) implements Argument {
        public Repeated {
            each = List.copyOf(each);
        }

        @Override
        public List<String> references() {
            List<String> r = new ArrayList<>(List.of(input));
            each.forEach(a -> r.addAll(a.references()));
            return r;
        }
    }

    /** Renders a template. */
    static List<String> renderAll(List<Argument> template, Map<String, List<String>> values, String outputDir) {
        Map<String, List<String>> all = new HashMap<>(values);
        all.put(CommandLineSpec.OUTPUT_DIR, List.of(outputDir));
        List<String> out = new ArrayList<>();
        for (Argument a : template) {
            render(a, all, out);
        }
        return out;
    }

    private static void render(Argument a, Map<String, List<String>> values, List<String> out) {
        if (a instanceof Literal l) {
            out.add(l.text());
        } else if (a instanceof Value v) {
            List<String> vs = values.getOrDefault(v.input(), List.of());
            if (vs.isEmpty()) {
                return;
            }
            if (v.prefix().endsWith("=")) {
                vs.forEach(x -> out.add(v.prefix() + x));
            } else {
                if (!v.prefix().isEmpty()) {
                    out.add(v.prefix());
                }
                out.addAll(vs);
            }
        } else if (a instanceof Conditional c) {
            List<String> vs = values.getOrDefault(c.input(), List.of());
            boolean on = !vs.isEmpty() && vs.stream().noneMatch(x -> x.equalsIgnoreCase("false"));
            for (Argument x : on ? c.then() : c.otherwise()) {
                render(x, values, out);
            }
        } else if (a instanceof Repeated r) {
            for (String one : values.getOrDefault(r.input(), List.of())) {
                Map<String, List<String>> bound = new HashMap<>(values);
                bound.put(r.input(), List.of(one));
                for (Argument x : r.each()) {
                    render(x, bound, out);
                }
            }
        }
    }
}
