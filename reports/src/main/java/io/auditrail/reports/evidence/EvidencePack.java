package io.auditrail.reports.evidence;

import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * One tenant's SOC2 evidence for a period, ready to write as a zip (everything, signed manifest), the PDF or HTML
 * summary, the JSON facts, or the CSV files (a zip with its own signed manifest). Rendering happens on write.
 */
public final class EvidencePack {
    /** What {@link #write} produces. */
    public enum Format { ZIP, PDF, HTML, JSON, CSV }

    static final String SUMMARY_HTML = "summary.html";
    static final String SUMMARY_PDF = "summary.pdf";
    static final String EVIDENCE_JSON = "evidence.json";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final EvidenceFacts facts;
    private final Optional<PackSigner> signer;
    private final int summaryMaxRows;

    EvidencePack(EvidenceFacts facts, Optional<PackSigner> signer, int summaryMaxRows) {
        this.facts = facts;
        this.signer = signer;
        this.summaryMaxRows = summaryMaxRows;
    }

    /** The format a name denotes, case-insensitive. */
    public static Format format(String name) {
        String all = String.join(", ", Arrays.stream(Format.values())
                .map(f -> f.name().toLowerCase(Locale.ROOT)).toList());
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("format is required: one of " + all);
        }
        for (Format f : Format.values()) {
            if (f.name().equalsIgnoreCase(name.strip())) {
                return f;
            }
        }
        // the name is echoed only when it is short and plain: it comes from a request
        String shown = name.matches("[A-Za-z0-9_.-]{1,20}") ? " '" + name + "'" : "";
        throw new IllegalArgumentException("unknown format" + shown + ": one of " + all);
    }

    public EvidenceFacts facts() {
        return facts;
    }

    /** Whether the manifest of a zip is signed (a pack signing key is configured). */
    public boolean signed() {
        return signer.isPresent();
    }

    public void write(Format format, OutputStream out) throws IOException {
        switch (format) {
            case ZIP -> zip(PackManifest.seal(facts, everything(), signer), out);
            case CSV -> zip(PackManifest.seal(facts, EvidenceCsv.files(facts), signer), out);
            case PDF -> out.write(SummaryPdf.render(facts, sections()));
            case HTML -> out.write(SummaryHtml.render(facts, sections()));
            case JSON -> out.write(EvidenceJson.render(facts));
        }
        out.flush();
    }

    public String contentType(Format format) {
        return switch (format) {
            case ZIP, CSV -> "application/zip";
            case PDF -> "application/pdf";
            case HTML -> "text/html; charset=utf-8";
            case JSON -> "application/json";
        };
    }

    /** e.g. soc2-acme-2026-07-01-2026-10-01.zip; safe for a Content-Disposition header whatever the tenant. */
    public String fileName(Format format) {
        String tenant = facts.tenant().replaceAll("[^A-Za-z0-9._-]", "_");
        String base = "soc2-" + tenant + "-" + stamp(facts.from()) + "-" + stamp(facts.to());
        return base + switch (format) {
            case ZIP -> ".zip";
            case CSV -> "-csv.zip";
            case PDF -> ".pdf";
            case HTML -> ".html";
            case JSON -> ".json";
        };
    }

    private static String stamp(java.time.Instant t) {
        LocalDateTime local = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
        return local.toLocalTime().equals(java.time.LocalTime.MIDNIGHT) ? local.toLocalDate().toString()
                : STAMP.format(t);
    }

    private List<SummarySection> sections() {
        return new SummaryModel(facts, summaryMaxRows).sections();
    }

    private Map<String, byte[]> everything() throws IOException {
        List<SummarySection> sections = sections();
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(SUMMARY_HTML, SummaryHtml.render(facts, sections));
        files.put(SUMMARY_PDF, SummaryPdf.render(facts, sections));
        files.put(EVIDENCE_JSON, EvidenceJson.render(facts));
        files.putAll(EvidenceCsv.files(facts));
        return files;
    }

    /** Writes the files as a zip; entries carry the generation time so two writes of a pack are identical. */
    private void zip(Map<String, byte[]> files, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        LocalDateTime time = LocalDateTime.ofInstant(facts.generatedAt(), ZoneOffset.UTC);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            ZipEntry e = new ZipEntry(f.getKey());
            e.setTimeLocal(time);
            zip.putNextEntry(e);
            zip.write(f.getValue());
            zip.closeEntry();
        }
        zip.finish(); // not close: the caller owns the stream
    }
}
