package org.cohortflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The services' pages and the run reports escape HTML with two small escapers, one in the server kit and one in
 * the executors, because neither module may depend on the other; this is the one place that sees both, so it
 * keeps them from drifting apart.
 */
class HtmlEscapersAgreeTest {
    @Test
    void the_server_and_the_executors_escape_every_special_character_alike() {
        String all = "a<b>&\"c'd\u00e9\u2603 </script><img src=x onerror='alert(1)'>&amp;";
        assertEquals("a&lt;b&gt;&amp;&quot;c&#39;d\u00e9\u2603 &lt;/script&gt;&lt;img src=x onerror=&#39;alert(1)&#39;&gt;&amp;amp;",
                org.cohortflow.server.http.Html.escape(all));
        assertEquals(org.cohortflow.server.http.Html.escape(all), org.cohortflow.executors.report.html.Html.esc(all));
        for (char c = 0; c < 0x2000; c++) {
            String s = "x" + c + "y";
            assertEquals(org.cohortflow.server.http.Html.escape(s), org.cohortflow.executors.report.html.Html.esc(s),
                    "character U+" + Integer.toHexString(c));
        }
        assertEquals("", org.cohortflow.server.http.Html.escape(null));
        assertEquals("", org.cohortflow.executors.report.html.Html.esc(null));
    }
}
