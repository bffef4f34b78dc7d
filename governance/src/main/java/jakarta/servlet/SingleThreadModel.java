package jakarta.servlet;

/**
 * Compatibility marker so that Apache Spark and Javalin share one JVM in the governor. Javalin 7's Jetty 12
 * needs Servlet 6, which removed this deprecated, empty marker interface; Spark 4's shaded Jetty 11 still
 * tests {@code servlet instanceof SingleThreadModel} when it sets up its (metrics) servlet handlers, and
 * fails with {@code NoClassDefFoundError} without it. It is the Servlet 5 interface, unchanged: no methods.
 * Remove it when Spark moves to Servlet 6.
 */
@Deprecated
public interface SingleThreadModel {
}
