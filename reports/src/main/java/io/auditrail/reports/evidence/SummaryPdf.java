package io.auditrail.reports.evidence;

import io.auditrail.reports.evidence.EvidenceFacts.DailyVolume;
import io.auditrail.reports.evidence.SummarySection.Table;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * The summary as a PDF (PDFBox, Helvetica): the same sections as the HTML, text and tables, and the daily chart drawn
 * as rectangles. Landscape A4 so the tables fit; cells too long for their column are cut with "..." (the CSV files
 * hold every value whole). Characters Helvetica cannot show become '?'.
 */
final class SummaryPdf {
    private static final PDRectangle PAGE = new PDRectangle(PDRectangle.A4.getHeight(), PDRectangle.A4.getWidth());
    private static final float MARGIN = 36;
    private static final float BODY = 8.5f;
    private static final float CELL = 7f;

    private final PDDocument doc;
    private final PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    private final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    private final Map<Integer, Boolean> encodable = new HashMap<>();
    private PDPageContentStream cs;
    private float y;

    private SummaryPdf(PDDocument doc) {
        this.doc = doc;
    }

    static byte[] render(EvidenceFacts facts, List<SummarySection> sections) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle(SummaryModel.title(facts));
            info.setCreator("auditrail");
            java.util.Calendar created = java.util.Calendar.getInstance(java.util.TimeZone.getTimeZone("UTC"));
            created.setTimeInMillis(facts.generatedAt().toEpochMilli());
            info.setCreationDate(created);
            // a fixed file ID (PDFBox would hash the wall clock) so that one pack always renders the same bytes
            byte[] id = java.util.Arrays.copyOf(PackManifest.sha256Hex((facts.tenant() + "|" + facts.from() + "|"
                    + facts.to() + "|" + facts.generatedAt()).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII), 16);
            org.apache.pdfbox.cos.COSArray ids = new org.apache.pdfbox.cos.COSArray();
            ids.add(new org.apache.pdfbox.cos.COSString(id));
            ids.add(new org.apache.pdfbox.cos.COSString(id));
            doc.getDocument().getTrailer().setItem(org.apache.pdfbox.cos.COSName.ID, ids);
            SummaryPdf pdf = new SummaryPdf(doc);
            pdf.write(facts, sections);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    private void write(EvidenceFacts facts, List<SummarySection> sections) throws IOException {
        newPage();
        try {
            text(bold, 16, MARGIN, SummaryModel.title(facts));
            y -= 22;
            StringBuilder map = new StringBuilder("Sections and the SOC2 criteria they evidence: ");
            for (SummarySection s : sections) {
                map.append(s.section().title()).append(" (").append(s.section().criteriaIds()).append("); ");
            }
            paragraph(map.toString());
            for (SummarySection s : sections) {
                need(60);
                y -= 10;
                text(bold, 12, MARGIN, s.section().title());
                y -= 13;
                text(regular, BODY, MARGIN, "SOC2: " + s.section().criteriaIds());
                y -= 12;
                for (String statement : s.statements()) {
                    paragraph(statement);
                }
                if (s.section() == EvidenceSection.PERIOD_AND_VOLUME) {
                    chart(facts.dailyVolumes());
                }
                for (Table t : s.tables()) {
                    table(t);
                }
            }
        } finally {
            cs.close();
        }
    }

    private void newPage() throws IOException {
        if (cs != null) {
            cs.close();
        }
        PDPage page = new PDPage(PAGE);
        doc.addPage(page);
        cs = new PDPageContentStream(doc, page);
        y = PAGE.getHeight() - MARGIN;
    }

    private void need(float height) throws IOException {
        if (y - height < MARGIN) {
            newPage();
        }
    }

    private float width() {
        return PAGE.getWidth() - 2 * MARGIN;
    }

    private void paragraph(String s) throws IOException {
        for (String line : wrap(safe(s), regular, BODY, width())) {
            need(BODY + 3);
            text(regular, BODY, MARGIN, line);
            y -= BODY + 3;
        }
        y -= 2;
    }

    private void table(Table t) throws IOException {
        need(3 * (CELL + 4) + 12);
        text(bold, BODY, MARGIN, t.caption());
        y -= BODY + 4;
        float total = t.weights().stream().mapToInt(Integer::intValue).sum();
        float[] widths = new float[t.weights().size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = width() * t.weights().get(i) / total;
        }
        row(t.header(), widths, bold);
        if (t.rows().isEmpty()) {
            row(List.of("none"), new float[] {width()}, regular);
        }
        for (List<String> r : t.rows()) {
            if (y - (CELL + 4) < MARGIN) {
                newPage();
                row(t.header(), widths, bold);
            }
            row(r, widths, regular);
        }
        if (t.omitted() > 0) {
            need(CELL + 4);
            text(regular, CELL, MARGIN, t.omitted() + " more rows in the CSV files.");
            y -= CELL + 4;
        }
        y -= 6;
    }

    private void row(List<String> cells, float[] widths, PDType1Font font) throws IOException {
        need(CELL + 4);
        float x = MARGIN;
        cs.setLineWidth(0.3f);
        cs.setStrokingColor(0.75f, 0.75f, 0.75f);
        cs.moveTo(MARGIN, y - 3);
        cs.lineTo(MARGIN + width(), y - 3);
        cs.stroke();
        for (int i = 0; i < widths.length && i < cells.size(); i++) {
            text(font, CELL, x + 1, fit(safe(cells.get(i)), font, CELL, widths[i] - 4));
            x += widths[i];
        }
        y -= CELL + 4;
    }

    /** Requests per day as bars, denied darker, with the axis' first and last day and the maximum. */
    private void chart(List<DailyVolume> days) throws IOException {
        float height = 110;
        need(height + 30);
        long max = days.stream().mapToLong(DailyVolume::requests).max().orElse(0);
        float top = y - 4;
        float base = top - height;
        cs.setStrokingColor(0.6f, 0.6f, 0.6f);
        cs.setLineWidth(0.5f);
        cs.addRect(MARGIN, base, width(), height);
        cs.stroke();
        float slot = width() / Math.max(1, days.size());
        for (int i = 0; i < days.size(); i++) {
            DailyVolume d = days.get(i);
            float x = MARGIN + i * slot + slot * 0.1f;
            float w = Math.max(0.5f, slot * 0.8f);
            float h = max == 0 ? 0 : (float) d.requests() / max * (height - 4);
            float dh = max == 0 ? 0 : (float) d.denied() / max * (height - 4);
            cs.setNonStrokingColor(0.29f, 0.48f, 0.71f);
            cs.addRect(x, base, w, h);
            cs.fill();
            if (dh > 0) {
                cs.setNonStrokingColor(0.64f, 0.2f, 0.2f);
                cs.addRect(x, base, w, dh);
                cs.fill();
            }
        }
        cs.setNonStrokingColor(0f, 0f, 0f);
        y -= 3;
        text(regular, CELL, MARGIN + 3, "max " + max + " requests/day");
        y = base - CELL - 3;
        if (!days.isEmpty()) {
            text(regular, CELL, MARGIN, days.get(0).day().toString());
            String last = days.get(days.size() - 1).day().toString();
            text(regular, CELL, MARGIN + width() - regular.getStringWidth(last) / 1000 * CELL, last);
        }
        y -= CELL + 8;
    }

    /** Writes one line with its baseline at the current y minus the font size. */
    private void text(PDType1Font font, float size, float x, String s) throws IOException {
        cs.beginText();
        cs.setFont(font, size);
        cs.newLineAtOffset(x, y - size);
        cs.showText(safe(s));
        cs.endText();
    }

    /** Characters Helvetica (WinAnsi) cannot encode become '?'; control characters become spaces. */
    private String safe(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                out.append(' ');
            } else if (encodable.computeIfAbsent(cp, this::canEncode)) {
                out.appendCodePoint(cp);
            } else {
                out.append('?');
            }
        });
        return out.toString();
    }

    private boolean canEncode(int cp) {
        try {
            regular.encode(new String(Character.toChars(cp)));
            return true;
        } catch (IllegalArgumentException | IOException e) {
            return false;
        }
    }

    private static String fit(String s, PDType1Font font, float size, float max) throws IOException {
        if (font.getStringWidth(s) / 1000 * size <= max) {
            return s;
        }
        String cut = s;
        while (!cut.isEmpty() && font.getStringWidth(cut + "...") / 1000 * size > max) {
            cut = cut.substring(0, Math.max(0, cut.length() - Math.max(1, cut.length() / 8)));
        }
        return cut + "...";
    }

    private static List<String> wrap(String s, PDType1Font font, float size, float max) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : s.split(" ")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (font.getStringWidth(candidate) / 1000 * size <= max || line.isEmpty()) {
                line.setLength(0);
                line.append(candidate);
            } else {
                lines.add(fit(line.toString(), font, size, max));
                line.setLength(0);
                line.append(word);
            }
        }
        if (!line.isEmpty()) {
            lines.add(fit(line.toString(), font, size, max));
        }
        return lines;
    }
}
