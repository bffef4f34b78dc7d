package org.cohortflow.executors.report.html;

/**
 * One self-contained HTML page: the shared look (a readable column, headings, tables, status colours) plus
 * what a page adds with {@link #css}, then its body. Text is escaped by the caller with {@link Html#esc}.
 */
public final class HtmlPage {
    /** The shared style sheet; classes {@code ok}, {@code bad}, {@code muted}, {@code note}. */
    static final String BASE_CSS = "body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1180px;padding:0 16px;color:#222}"
            + "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd}"
            + "h3{font-size:14px;margin:18px 0 6px}.lead{color:#555;margin:0 0 12px}"
            + "table{border-collapse:collapse;margin:6px 0}td,th{padding:3px 10px;border-bottom:1px solid #eee;text-align:right}"
            + "th{background:#f6f6f6}td:first-child,th:first-child{text-align:left}"
            + ".ok{color:#1a7f37;font-weight:600}.bad{color:#b42318;font-weight:600}"
            + ".muted{color:#888;font-size:12px}.note{color:#555;font-size:.9em}"
            + "pre{background:#f6f6f6;padding:6px 8px;overflow-x:auto;font-size:12px;white-space:pre-wrap}";

    private final StringBuilder body = new StringBuilder(1 << 14);
    private final StringBuilder css = new StringBuilder(BASE_CSS);
    private final String title;

    /** @param title the page's title, as plain text */
    public HtmlPage(String title) {
        this.title = title;
    }

    /** Adds rules to the page's style sheet. */
    public HtmlPage css(String rules) {
        css.append(rules);
        return this;
    }

    /** Appends markup to the body. */
    public HtmlPage add(CharSequence html) {
        body.append(html);
        return this;
    }

    /** The body so far, for code that builds a section in place. */
    public StringBuilder body() {
        return body;
    }

    /** The whole document. */
    public String render() {
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Html.esc(title)
                + "</title>\n<style>" + css + "</style></head><body>\n" + body + "</body></html>\n";
    }
}
