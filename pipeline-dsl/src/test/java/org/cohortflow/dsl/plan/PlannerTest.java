package org.cohortflow.dsl.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.cohortflow.dsl.Examples;
import org.cohortflow.dsl.network.Network;
import org.cohortflow.dsl.network.NetworkBuilder;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.network.Producer;
import org.cohortflow.dsl.tool.ToolRegistry;
import org.cohortflow.dsl.tools.basic.BasicTools;
import org.cohortflow.dsl.types.BuiltinTypes;
import org.junit.jupiter.api.Test;

/** Job graphs of fastr's documented examples, compared with expectations worked out by hand. */
class PlannerTest {
    private static final ToolRegistry TOOLS = Examples.tools();
    private final Planner planner = new Planner(TOOLS);

    private JobGraph planExample(String file, SourceData data) {
        NetworkYaml.Loaded l = NetworkYaml.read(Examples.network(file));
        return planner.plan(l.network(), l.locator(), data, ExpansionSizes.UNKNOWN);
    }

    /** Each job as "sample: input=[values] ..." for compact comparison. */
    private static List<String> jobs(JobGraph g, String node) {
        return g.stage(node).orElseThrow().jobs().stream().map(j -> j.id().sample() + ":" + j.inputs().entrySet().stream()
                .map(e -> " " + e.getKey() + "=" + e.getValue()).collect(Collectors.joining())
                + j.missing().map(m -> " MISSING " + m).orElse("")).toList();
    }

    @Test
    void aConstantIsBroadcastToEverySampleOfASource() {
        JobGraph g = planExample("add-ints.yaml", SourceData.builder()
                .add("numbers", "a", "1").add("numbers", "b", "2").add("numbers", "c", "3").build());
        assertEquals(List.of(
                "a: left=[numbers[a]] right=['10']",
                "b: left=[numbers[b]] right=['10']",
                "c: left=[numbers[c]] right=['10']"), jobs(g, "add"));
        assertEquals("[numbers(3)]", g.stage("add").orElseThrow().dimensions().toString());
        assertEquals(List.of("a", "b", "c"), g.sinks().get(0).items().stream().map(i -> i.sample().toString()).toList());
        assertEquals("[add/a.result]", g.sinks().get(0).items().get(0).values().toString());
    }

    @Test
    void inputsInDifferentGroupsFormACrossProduct() {
        JobGraph g = planExample("cross-product.yaml", SourceData.builder()
                .add("numbers", "x", "1.5").add("numbers", "y", "2")
                .add("factors", "f1", "1").add("factors", "f2", "10").add("factors", "f3", "100").build());
        assertEquals(List.of(
                "x__f1: a=[numbers[x]] b=[factors[f1]]",
                "x__f2: a=[numbers[x]] b=[factors[f2]]",
                "x__f3: a=[numbers[x]] b=[factors[f3]]",
                "y__f1: a=[numbers[y]] b=[factors[f1]]",
                "y__f2: a=[numbers[y]] b=[factors[f2]]",
                "y__f3: a=[numbers[y]] b=[factors[f3]]"), jobs(g, "multiply"));
        assertEquals("[numbers(2), factors(3)]", g.stage("multiply").orElseThrow().dimensions().toString());
    }

    @Test
    void inputsInOneGroupAreMatchedBySampleIdAndAnAbsentSampleMakesTheJobMissing() {
        NetworkBuilder net = Network.builder("pairs");
        Producer<Long> x = net.source("x", BuiltinTypes.INT);
        Producer<Long> y = net.source("y", BuiltinTypes.INT);
        NetworkBuilder.NodeHandle add = net.node("add", BasicTools.ADD_INT);
        add.in(BasicTools.LEFT).from(x);
        add.in(BasicTools.RIGHT).from(y);
        net.sink("out", add.out(BasicTools.RESULT), "file:///tmp/{sample_id}");
        JobGraph g = planner.plan(net.build(), SourceData.builder()
                .add("x", "p1", "1").add("x", "p2", "2").add("x", "p3", "3")
                .add("y", "p2", "20").add("y", "p1", "10").build());
        assertEquals(List.of(
                "p1: left=[x[p1]] right=[y[p1]]",
                "p2: left=[x[p2]] right=[y[p2]]",
                "p3: left=[x[p3]] right=[] MISSING input 'right' has no sample 'p3' from y"), jobs(g, "add"));
        assertEquals(2, g.runnableJobs());
        SinkPlan.Item p3 = g.sinks().get(0).items().get(2);
        assertEquals("job add/p3 is missing (input 'right' has no sample 'p3' from y)", p3.missing().orElseThrow());
    }

    @Test
    void collapseTurnsADimensionIntoTheValuesOfOneJob() {
        JobGraph g = planExample("collapse-sum.yaml", SourceData.builder()
                .add("numbers", "a", "1").add("numbers", "b", "2").add("numbers", "c", "3").build());
        assertEquals(List.of("all: values=[numbers[a], numbers[b], numbers[c]]"), jobs(g, "total"));
        assertEquals("[]", g.stage("total").orElseThrow().dimensions().toString());
    }

    @Test
    void expandOfAFixedCardinalityAddsADimensionAtPlanTime() {
        JobGraph g = planExample("expand-neighbours.yaml", SourceData.builder()
                .add("numbers", "a", "1").add("numbers", "b", "5").build());
        assertEquals(List.of(
                "a__0: left=[around/a.neighbours[0]] right=['100']",
                "a__1: left=[around/a.neighbours[1]] right=['100']",
                "a__2: left=[around/a.neighbours[2]] right=['100']",
                "b__0: left=[around/b.neighbours[0]] right=['100']",
                "b__1: left=[around/b.neighbours[1]] right=['100']",
                "b__2: left=[around/b.neighbours[2]] right=['100']"), jobs(g, "add"));
        assertEquals("[numbers(2), around.neighbours(3)]", g.stage("add").orElseThrow().dimensions().toString());
        assertEquals(java.util.Set.of(new JobId("around", SampleKey.of("b"))),
                g.job(new JobId("add", SampleKey.of("b", "1"))).orElseThrow().dependencies());
    }

    @Test
    void expandOfAVariableCardinalityIsDeferredUntilTheSizesAreKnown() {
        NetworkBuilder net = Network.builder("ranges");
        Producer<Long> n = net.source("n", BuiltinTypes.INT);
        NetworkBuilder.NodeHandle range = net.node("range", BasicTools.RANGE);
        range.in(BasicTools.COUNT).from(n);
        NetworkBuilder.NodeHandle add = net.node("add", BasicTools.ADD_INT);
        add.in(BasicTools.LEFT).from(range.out(BasicTools.NUMBERS).expand());
        NetworkBuilder.NodeHandle total = net.node("total", BasicTools.SUM);
        total.in(BasicTools.VALUES).from(add.out(BasicTools.RESULT).collapse("range.numbers"));
        net.sink("totals", total.out(BasicTools.TOTAL), "file:///tmp/{sample_id}");
        Network network = net.build();
        SourceData data = SourceData.builder().add("n", "s1", "2").add("n", "s2", "1").build();

        JobGraph before = planner.plan(network, data);
        assertEquals(2, before.stage("range").orElseThrow().jobs().size());
        assertTrue(before.stage("add").orElseThrow().deferred().orElseThrow()
                .startsWith("waits for the number of values of range/s1.numbers"));
        assertTrue(before.stage("total").orElseThrow().deferred().isPresent());
        assertTrue(before.sinks().get(0).deferred().isPresent());

        Map<String, Integer> sizes = Map.of("s1", 2, "s2", 1);
        JobGraph after = planner.plan(network, org.cohortflow.dsl.network.Locator.describing("ranges"), data,
                (job, output) -> OptionalInt.of(sizes.get(job.sample().toString())));
        assertEquals(List.of("s1__0", "s1__1", "s2__0"), after.stage("add").orElseThrow().jobs().stream()
                .map(j -> j.id().sample().toString()).toList());
        assertEquals(List.of(
                "s1: values=[add/s1__0.result, add/s1__1.result]",
                "s2: values=[add/s2__0.result]"), jobs(after, "total"));
    }

    @Test
    void aMissingSamplePropagatesThroughACollapseInsteadOfBeingDropped() {
        NetworkBuilder net = Network.builder("gaps");
        Producer<Long> x = net.source("x", BuiltinTypes.INT);
        Producer<Long> y = net.source("y", BuiltinTypes.INT);
        NetworkBuilder.NodeHandle add = net.node("add", BasicTools.ADD_INT);
        add.in(BasicTools.LEFT).from(x);
        add.in(BasicTools.RIGHT).from(y);
        NetworkBuilder.NodeHandle total = net.node("total", BasicTools.SUM);
        total.in(BasicTools.VALUES).from(add.out(BasicTools.RESULT).collapse("x"));
        net.sink("total", total.out(BasicTools.TOTAL), "file:///tmp/total");
        JobGraph g = planner.plan(net.build(), SourceData.builder()
                .add("x", "a", "1").add("x", "b", "2").add("y", "a", "1").build());
        assertEquals(List.of("all: values=[] MISSING input 'values': collapsing 'x' needs all its samples, but [b] are missing"),
                jobs(g, "total"));
    }

    @Test
    void theJobGraphPrintsAndExportsAsGraphvizDot() {
        JobGraph g = planExample("expand-neighbours.yaml", SourceData.builder().add("numbers", "a", "1").build());
        String dot = g.toDot();
        assertTrue(dot.startsWith("digraph \"expand-neighbours\" {"));
        assertTrue(dot.contains("\"around/a\" -> \"add/a__2\";"), dot);
        assertTrue(dot.contains("\"add/a__0\" -> \"sink:shifted\";"), dot);
        assertTrue(g.describe().contains("stage add (basic/AddInt:1.0) dimensions [numbers(1), around.neighbours(3)]"),
                g.describe());
    }

    @Test
    void planningWithoutDataForASourceNamesTheSource() {
        NetworkYaml.Loaded l = NetworkYaml.read(Examples.network("add-ints.yaml"));
        List<String> p = planner.problems(l.network(), l.locator(), SourceData.builder().add("nums", "a", "1").build())
                .stream().map(Object::toString).toList();
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(0).endsWith("add-ints.yaml:5:3: source 'numbers' has no data bound to it"), p.get(0));
        assertTrue(p.get(1).contains("data given for unknown source 'nums' (sources: numbers)"), p.get(1));
    }
}
