package io.auditrail.reports.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

class SummaryTest {
    @Test
    void hostileStringsAreTextInTheHtmlNeverMarkup() throws Exception {
        String html = new String(SampleFacts.write(SampleFacts.pack(Optional.empty()), EvidencePack.Format.HTML),
                StandardCharsets.UTF_8);

        assertThat(html).doesNotContain("<script").doesNotContain("<b>mallory")
                .contains("secret/data/&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;")
                .contains("&lt;b&gt;mallory&lt;/b&gt;")
                .contains("Content-Security-Policy");
        assertThat(html.toLowerCase(java.util.Locale.ROOT)).doesNotContain("<script").doesNotContain("javascript:");
    }

    @Test
    void escapeCoversEveryMarkupCharacterAndControlCharacters() {
        assertThat(SummaryHtml.escape("<a href=\"x\" onclick='y'>&</a>\u0000\u001b"))
                .isEqualTo("&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;\uFFFD\uFFFD");
        assertThat(SummaryHtml.escape(null)).isEmpty();
    }

    @Test
    void theHtmlNamesEverySectionWithItsCriteriaAndDrawsTheDailyChart() throws Exception {
        String html = new String(SampleFacts.write(SampleFacts.pack(Optional.empty()), EvidencePack.Format.HTML),
                StandardCharsets.UTF_8);

        for (EvidenceSection s : EvidenceSection.values()) {
            assertThat(html).contains("<h2>" + s.title() + "</h2>\n<p class=\"criteria\">SOC2: " + s.criteriaIds());
        }
        assertThat(html).contains("<svg").contains("2026-07-01: 10 requests, 2 denied")
                .contains("2026-07-02: 0 requests, 0 denied")
                .contains("not verified: the archive could not be read; the server&#39;s log says why");
    }

    @Test
    void thePdfParsesBackWithEverySectionTitleAndCriterion() throws Exception {
        byte[] pdf = SampleFacts.write(SampleFacts.pack(Optional.empty()), EvidencePack.Format.PDF);

        String text;
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            text = new PDFTextStripper().getText(doc);
        }
        for (EvidenceSection s : EvidenceSection.values()) {
            assertThat(text).contains(s.title()).contains("SOC2: " + s.criteriaIds());
        }
        for (Soc2Criterion c : Soc2Criterion.values()) {
            assertThat(text).contains(c.id());
        }
        // characters Helvetica lacks are replaced, not fatal; Latin-1 ones are kept
        assertThat(text).contains("app \u00e9??").contains("policy_change").contains("SOC2 evidence pack: acme");
    }

    @Test
    void formatsParseCaseInsensitivelyAndRefuseWithAReason() {
        assertThat(EvidencePack.format("PdF")).isEqualTo(EvidencePack.Format.PDF);
        assertThat(EvidencePack.format(" csv ")).isEqualTo(EvidencePack.Format.CSV);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EvidencePack.format("docx"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown format 'docx': one of zip, pdf, html, json, csv");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EvidencePack.format("<x>"))
                .hasMessage("unknown format: one of zip, pdf, html, json, csv");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EvidencePack.format(null))
                .hasMessageStartingWith("format is required");
    }

    @Test
    void fileNamesAndContentTypesSuitAResponseHeader() {
        EvidencePack pack = SampleFacts.pack(Optional.empty());
        assertThat(pack.fileName(EvidencePack.Format.ZIP)).isEqualTo("soc2-acme-2026-07-01-2026-07-04.zip");
        assertThat(pack.fileName(EvidencePack.Format.CSV)).isEqualTo("soc2-acme-2026-07-01-2026-07-04-csv.zip");
        assertThat(pack.contentType(EvidencePack.Format.HTML)).isEqualTo("text/html; charset=utf-8");
        assertThat(pack.contentType(EvidencePack.Format.PDF)).isEqualTo("application/pdf");
        EvidenceFacts f = SampleFacts.facts();
        EvidencePack hostile = new EvidencePack(new EvidenceFacts("a\"b\r\n;c/../d", f.from(),
                java.time.Instant.parse("2026-07-01T12:30:00Z"), f.generatedAt(), f.totals(), f.dailyVolumes(),
                f.secretAccess(), f.privilegedChanges(), f.denials(), f.anomalies(), f.indexRetention(), f.archive(),
                f.metaAudit()), Optional.empty(), 50);
        assertThat(hostile.fileName(EvidencePack.Format.JSON))
                .isEqualTo("soc2-a_b___c_.._d-2026-07-01-20260701T123000Z.json");
    }

    @Test
    void theJsonHoldsTheFactsAndTheCriteriaMap() throws Exception {
        var json = PackManifest.JSON.readTree(SampleFacts.write(SampleFacts.pack(Optional.empty()),
                EvidencePack.Format.JSON));
        assertThat(json.path("sections").get(2).path("criteria").toString()).isEqualTo("[\"CC6.1\",\"CC6.2\",\"CC6.3\"]");
        assertThat(json.path("facts").path("secret_access").get(0).path("secret_path").asText())
                .isEqualTo(SampleFacts.HOSTILE_PATH);
        assertThat(json.path("facts").path("privileged_changes").get(0).path("category").asText()).isEqualTo("policy");
        assertThat(json.path("facts").path("archive").path("verification").path("verified").asBoolean()).isFalse();
        assertThat(json.path("facts").path("totals").path("requests").asLong()).isEqualTo(14);
    }
}
