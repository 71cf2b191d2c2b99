package io.auditrail.reports.evidence;

import io.auditrail.reports.evidence.EvidenceFacts.DailyVolume;
import io.auditrail.reports.evidence.SummarySection.Table;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The summary as one self-contained HTML page: every value escaped, inline CSS, an inline SVG chart, no script and
 * a Content-Security-Policy that forbids any (a hostile secret path must stay text).
 */
final class SummaryHtml {
    private static final int CHART_WIDTH = 900;
    private static final int CHART_HEIGHT = 180;

    private SummaryHtml() {
    }

    static byte[] render(EvidenceFacts facts, List<SummarySection> sections) {
        StringBuilder h = new StringBuilder(64 * 1024);
        String title = SummaryModel.title(facts);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                        + "style-src 'unsafe-inline'\">\n")
                .append("<title>").append(escape(title)).append("</title>\n<style>\n")
                .append("body{font-family:Helvetica,Arial,sans-serif;margin:2em;color:#222;max-width:1200px}\n")
                .append("h1{font-size:1.5em}h2{font-size:1.15em;border-bottom:1px solid #999;margin-top:2em}\n")
                .append(".criteria{color:#555;font-size:.9em}\n")
                .append("table{border-collapse:collapse;font-size:.85em;margin:.5em 0}\n")
                .append("th,td{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top;"
                        + "word-break:break-all}\nth{background:#eee}\ncaption{text-align:left;font-weight:bold}\n")
                .append(".omitted{color:#555;font-size:.85em}\n</style></head><body>\n")
                .append("<h1>").append(escape(title)).append("</h1>\n");
        h.append("<p class=\"criteria\">Sections and the SOC2 criteria they evidence: ");
        for (SummarySection s : sections) {
            h.append(escape(s.section().title())).append(" (").append(escape(s.section().criteriaIds())).append("); ");
        }
        h.append("</p>\n");
        for (SummarySection s : sections) {
            h.append("<section id=\"").append(s.section().name().toLowerCase(java.util.Locale.ROOT)).append("\">\n")
                    .append("<h2>").append(escape(s.section().title())).append("</h2>\n")
                    .append("<p class=\"criteria\">SOC2: ").append(escape(s.section().criteriaIds())).append("</p>\n");
            for (String statement : s.statements()) {
                h.append("<p>").append(escape(statement)).append("</p>\n");
            }
            if (s.section() == EvidenceSection.PERIOD_AND_VOLUME) {
                chart(h, facts.dailyVolumes());
            }
            for (Table t : s.tables()) {
                table(h, t);
            }
            h.append("</section>\n");
        }
        h.append("</body></html>\n");
        return h.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void table(StringBuilder h, Table t) {
        h.append("<table><caption>").append(escape(t.caption())).append("</caption>\n<tr>");
        for (String c : t.header()) {
            h.append("<th>").append(escape(c)).append("</th>");
        }
        h.append("</tr>\n");
        if (t.rows().isEmpty()) {
            h.append("<tr><td colspan=\"").append(t.header().size()).append("\">none</td></tr>\n");
        }
        for (List<String> row : t.rows()) {
            h.append("<tr>");
            for (String cell : row) {
                h.append("<td>").append(escape(cell)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
        if (t.omitted() > 0) {
            h.append("<p class=\"omitted\">").append(t.omitted()).append(" more rows in the CSV files.</p>\n");
        }
    }

    /** Requests per day as bars, the denied part darker; each bar's title names its day and counts. */
    private static void chart(StringBuilder h, List<DailyVolume> days) {
        long max = days.stream().mapToLong(DailyVolume::requests).max().orElse(0);
        int n = Math.max(1, days.size());
        double slot = (double) CHART_WIDTH / n;
        int plot = CHART_HEIGHT - 20;
        h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(CHART_WIDTH).append("\" height=\"")
                .append(CHART_HEIGHT).append("\" role=\"img\" aria-label=\"requests per day\">\n")
                .append("<rect x=\"0\" y=\"0\" width=\"").append(CHART_WIDTH).append("\" height=\"").append(plot)
                .append("\" fill=\"#fafafa\" stroke=\"#ccc\"/>\n");
        for (int i = 0; i < days.size(); i++) {
            DailyVolume d = days.get(i);
            double x = i * slot + slot * 0.1;
            double w = Math.max(1, slot * 0.8);
            double height = max == 0 ? 0 : (double) d.requests() / max * (plot - 5);
            double denied = max == 0 ? 0 : (double) d.denied() / max * (plot - 5);
            h.append(String.format(java.util.Locale.ROOT, "<g><title>%s: %d requests, %d denied</title>"
                            + "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#4a7ab5\"/>"
                            + "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#a33\"/></g>\n",
                    d.day(), d.requests(), d.denied(), x, plot - height, w, height, x, plot - denied, w, denied));
        }
        if (!days.isEmpty()) {
            h.append("<text x=\"0\" y=\"").append(CHART_HEIGHT - 4).append("\" font-size=\"11\">")
                    .append(days.get(0).day()).append("</text>\n<text x=\"").append(CHART_WIDTH)
                    .append("\" y=\"").append(CHART_HEIGHT - 4).append("\" font-size=\"11\" text-anchor=\"end\">")
                    .append(days.get(days.size() - 1).day()).append("</text>\n");
        }
        h.append("<text x=\"4\" y=\"14\" font-size=\"11\">max ").append(max).append(" requests/day</text>\n</svg>\n");
    }

    /** HTML text and attribute escaping; control characters other than tab and newline become U+FFFD. */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c < 0x20 && c != '\t' && c != '\n' ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }
}
