package io.auditrail.reports.evidence;

/** The SOC2 (2017 Trust Services Criteria) common criteria a pack gives evidence for. */
public enum Soc2Criterion {
    CC6_1("CC6.1", "Logical access security over protected information assets"),
    CC6_2("CC6.2", "Registration, authorisation and removal of users and credentials"),
    CC6_3("CC6.3", "Access granted, changed and removed by role and least privilege"),
    CC7_2("CC7.2", "Monitoring of system components for anomalies and security events"),
    CC7_3("CC7.3", "Evaluation of security events and the decisions taken on them");

    private final String id;
    private final String title;

    Soc2Criterion(String id, String title) {
        this.id = id;
        this.title = title;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }
}
