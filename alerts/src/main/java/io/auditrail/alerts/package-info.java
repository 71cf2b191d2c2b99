/** vault.audit.anomalies to people: generic JSON webhooks, Slack, PagerDuty Events v2; throttled, retried, recorded. */
package io.auditrail.alerts;
