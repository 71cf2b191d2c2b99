package io.auditrail.reports.evidence;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.auditrail.core.event.EventCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pack's facts as one JSON document (snake_case, RFC 3339 UTC times), with the section-to-criteria map. */
final class EvidenceJson {
    private static final ObjectWriter WRITER = EventCodec.mapper().writerWithDefaultPrettyPrinter();

    private EvidenceJson() {
    }

    static byte[] render(EvidenceFacts facts) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", "auditrail-soc2-evidence");
        doc.put("schema", 1);
        List<Map<String, Object>> sections = new ArrayList<>();
        for (EvidenceSection s : EvidenceSection.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("section", s.name().toLowerCase(java.util.Locale.ROOT));
            m.put("title", s.title());
            m.put("criteria", s.criteria().stream().map(Soc2Criterion::id).toList());
            sections.add(m);
        }
        doc.put("sections", sections);
        doc.put("facts", facts);
        return WRITER.writeValueAsBytes(doc);
    }
}
