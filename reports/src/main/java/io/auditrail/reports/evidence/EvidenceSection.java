package io.auditrail.reports.evidence;

import java.util.List;

/** The sections of a pack's summary, each with the SOC2 criteria it evidences (docs/EVIDENCE.md explains why). */
public enum EvidenceSection {
    PERIOD_AND_VOLUME("Period and volumes", List.of(Soc2Criterion.CC7_2)),
    SECRET_ACCESS("Secrets accessed and by whom", List.of(Soc2Criterion.CC6_1, Soc2Criterion.CC6_3)),
    PRIVILEGED_CHANGES("Privileged changes",
            List.of(Soc2Criterion.CC6_1, Soc2Criterion.CC6_2, Soc2Criterion.CC6_3)),
    DENIALS("Denied access and failed logins", List.of(Soc2Criterion.CC6_1, Soc2Criterion.CC7_2)),
    ANOMALIES("Anomalies and their disposition", List.of(Soc2Criterion.CC7_2, Soc2Criterion.CC7_3)),
    RETENTION("Retention and archive integrity", List.of(Soc2Criterion.CC7_2)),
    META_AUDIT("Who looked at the audit data", List.of(Soc2Criterion.CC6_1, Soc2Criterion.CC7_2));

    private final String title;
    private final List<Soc2Criterion> criteria;

    EvidenceSection(String title, List<Soc2Criterion> criteria) {
        this.title = title;
        this.criteria = criteria;
    }

    public String title() {
        return title;
    }

    public List<Soc2Criterion> criteria() {
        return criteria;
    }

    /** "CC6.1, CC7.2": how the summary names the criteria. */
    public String criteriaIds() {
        return String.join(", ", criteria.stream().map(Soc2Criterion::id).toList());
    }
}
