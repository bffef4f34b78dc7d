package org.cohortflow.governance.workflow;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The names a workflow's CEL conditions may use, each with its type, so that a condition is type-checked
 * when the workflow is loaded rather than failing when an experiment reaches it:
 * <ul>
 *   <li>{@code experiment.id} (int), {@code experiment.label}, {@code experiment.subject}, {@code experiment.study},
 *       {@code experiment.state} (strings);</li>
 *   <li>{@code vars.NAME} for each variable the workflow declares, with its declared type;</li>
 *   <li>{@code scans}: a list of maps with {@code label}, {@code modality}, {@code kind}, {@code url} (the current
 *       scan of each label);</li>
 *   <li>{@code scans_added}: the same for the scans added (or superseding an older one) since the experiment
 *       entered its current state, e.g. {@code scans_added.exists(s, s.label == 'rtstruct')};</li>
 *   <li>{@code callbacks.NAME.status}, {@code .result}, {@code .message} (strings), {@code .attempts} (int),
 *       {@code .output} (map) for each callback name in scope.</li>
 * </ul>
 * The standard macros are on: {@code has}, {@code all}, {@code exists}, {@code exists_one}, {@code map} and
 * {@code filter} (e.g. {@code scans.exists(s, s.modality == 'CT')}), type-checked like the rest.
 * Names are declared as qualified identifiers, so a misspelt {@code vars.agee} or {@code callbacks.qc.reslt}
 * is an "undeclared reference" at load time.
 */
public final class ConditionEnvironment {
    private final Cel cel;
    private final Set<String> names;

    private ConditionEnvironment(Cel cel, Set<String> names) {
        this.cel = cel;
        this.names = names;
    }

    /** The environment for conditions that may see the given variables and callbacks. */
    public static ConditionEnvironment of(Map<String, VariableType> variables, Set<String> callbackNames) {
        Map<String, CelType> decl = new LinkedHashMap<>();
        decl.put("experiment.id", SimpleType.INT);
        for (String s : List.of("label", "subject", "study", "state")) {
            decl.put("experiment." + s, SimpleType.STRING);
        }
        variables.forEach((name, type) -> decl.put("vars." + name, type.celType()));
        decl.put("scans", ListType.create(MapType.create(SimpleType.STRING, SimpleType.STRING)));
        decl.put("scans_added", ListType.create(MapType.create(SimpleType.STRING, SimpleType.STRING)));
        for (String cb : callbackNames) {
            for (String s : List.of("status", "result", "message")) {
                decl.put("callbacks." + cb + "." + s, SimpleType.STRING);
            }
            decl.put("callbacks." + cb + ".attempts", SimpleType.INT);
            decl.put("callbacks." + cb + ".output", MapType.create(SimpleType.STRING, SimpleType.DYN));
        }
        // The standard macros, so a condition can ask about each scan or list element:
        // scans.exists(s, s.modality == 'CT'), has(callbacks.qc.output.quality), ...filter(...), ...map(...).
        var b = CelFactory.standardCelBuilder().setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .setResultType(SimpleType.BOOL);
        decl.forEach(b::addVar);
        return new ConditionEnvironment(b.build(), new java.util.TreeSet<>(decl.keySet()));
    }

    /** One problem in an expression: 1-based line and column inside the expression text. */
    public record ExpressionError(int line, int column, String message) {}

    /** The result of checking one expression: the condition, or its errors. */
    public record Checked(Condition condition, List<ExpressionError> errors) {}

    /**
     * CEL reports a misspelt {@code vars.agee} as an undeclared reference to {@code vars}; name the whole
     * dotted name instead and list what is known under its first part.
     */
    private String explain(String message, String expression, int line, int col) {
        if (!message.startsWith("undeclared reference to '")) {
            return message;
        }
        String[] lines = expression.split("\n", -1);
        String text = line - 1 < lines.length ? lines[line - 1] : "";
        int start = Math.max(0, Math.min(col - 1, text.length()));
        int end = start;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_' || text.charAt(end) == '.')) {
            end++;
        }
        String dotted = text.substring(start, end);
        if (dotted.isEmpty()) {
            return message;
        }
        String head = dotted.contains(".") ? dotted.substring(0, dotted.indexOf('.') + 1) : dotted;
        java.util.List<String> known = names.stream().filter(n -> n.startsWith(head)).toList();
        return "unknown name '" + dotted + "'" + (known.isEmpty() ? " (nothing is declared under '" + head + "')"
                : " (known: " + String.join(", ", known) + ")");
    }

    /** Parses and type-checks an expression (which must give a bool). */
    public Checked check(String expression) {
        CelValidationResult r = cel.compile(expression);
        try {
            var ast = r.getAst();
            return new Checked(new Condition(expression, cel.createProgram(ast)), List.of());
        } catch (CelValidationException e) {
            List<ExpressionError> errors = new ArrayList<>();
            for (CelIssue i : e.getErrors()) {
                var loc = i.getSourceLocation();
                int line = loc.getLine() <= 0 ? 1 : loc.getLine();
                int col = loc.getColumn() < 0 ? 1 : loc.getColumn() + 1;
                errors.add(new ExpressionError(line, col, explain(i.getMessage(), expression, line, col)));
            }
            return new Checked(null, errors);
        } catch (dev.cel.common.CelException e) {
            return new Checked(null, List.of(new ExpressionError(1, 1, e.getMessage())));
        }
    }
}
