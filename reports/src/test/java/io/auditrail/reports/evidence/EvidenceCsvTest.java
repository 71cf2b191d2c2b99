package io.auditrail.reports.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvidenceCsvTest {
    @Test
    void awkwardValuesSurviveARoundTripThroughACsvReader() throws Exception {
        List<String> values = List.of("a,b", "say \"hi\"", "two\nlines", "  padded  ", "semi;colon", "\u00e9\u4e2d");
        byte[] csv = EvidenceCsv.csv(List.of("value"), values, v -> List.of(v));

        List<List<String>> rows = read(csv);

        assertThat(rows.get(0)).containsExactly("value");
        assertThat(rows.subList(1, rows.size())).extracting(r -> r.get(0)).containsExactlyElementsOf(values);
    }

    @Test
    void cellsASpreadsheetWouldEvaluateAreNeutralised() throws Exception {
        byte[] csv = EvidenceCsv.csv(List.of("a", "b"), List.of("=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)",
                "plain"), v -> Arrays.asList(v, 42L));

        assertThat(read(csv).subList(1, 6)).extracting(r -> r.get(0)).containsExactly("'=HYPERLINK(\"http://x\")",
                "'+1", "'-2", "'@SUM(A1)", "plain");
        assertThat(read(csv).get(1).get(1)).isEqualTo("42"); // numbers are not text and stay as they are
    }

    @Test
    void aFileWithoutRowsStillNamesItsColumnsAndNullsAreEmptyCells() throws Exception {
        assertThat(new String(EvidenceCsv.csv(List.of("x", "y"), List.<String>of(), v -> List.of()),
                StandardCharsets.UTF_8)).isEqualTo("x,y\n");
        assertThat(read(EvidenceCsv.csv(List.of("x", "y"), List.of("v"), v -> Arrays.asList(null, v))).get(1))
                .containsExactly("", "v");
    }

    @Test
    void thePackCsvFilesHoldEveryFactWithTheHostilePathIntact() throws Exception {
        Map<String, byte[]> files = EvidenceCsv.files(SampleFacts.facts());

        List<List<String>> access = read(files.get("csv/secret-access.csv"));
        assertThat(access.get(0)).containsExactly("secret_path", "actor_entity_id", "actor_display_name", "requests",
                "reads", "writes", "deletes", "lists", "denied", "first_time", "last_time");
        assertThat(access.get(1)).containsExactly(SampleFacts.HOSTILE_PATH, "entity-1", "<b>mallory</b>", "3", "2", "1",
                "0", "0", "1", "2026-07-01T10:00:00Z", "2026-07-03T10:00:00Z");
        List<List<String>> decisions = read(files.get("csv/anomaly-dispositions.csv"));
        assertThat(decisions).hasSize(3);
        assertThat(decisions.get(2)).containsExactly("a-1", "policy_change", "medium", "2026-07-02T10:00:00Z", "tok-2",
                "resolved", "planned change, ticket \"CHG-1\"");
        assertThat(read(files.get("csv/privileged-changes.csv")).get(1)).contains("policy", "default;acme-admin");
        assertThat(read(files.get("csv/denials.csv")).get(1)).contains("denied_access",
                "1 error occurred:\n\t* permission denied\n\n");
    }

    static List<List<String>> read(byte[] csv) throws Exception {
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
        try (MappingIterator<List<String>> it = mapper.readerForListOf(String.class).readValues(csv)) {
            return it.readAll();
        }
    }
}
