package io.auditrail.reports.evidence;

import java.util.List;

/**
 * One section of the summary as plain text, the same for HTML and PDF: statements, then tables. {@code omitted} rows
 * are in the CSV files only.
 */
record SummarySection(EvidenceSection section, List<String> statements, List<Table> tables) {
    SummarySection {
        statements = List.copyOf(statements);
        tables = List.copyOf(tables);
    }

    /** A table of text cells; {@code weights} size the columns in the PDF. */
    record Table(String caption, List<String> header, List<Integer> weights, List<List<String>> rows, int omitted) {
        Table {
            header = List.copyOf(header);
            weights = List.copyOf(weights);
            rows = List.copyOf(rows);
            if (weights.size() != header.size()) {
                throw new IllegalArgumentException("one weight per column");
            }
        }
    }
}
