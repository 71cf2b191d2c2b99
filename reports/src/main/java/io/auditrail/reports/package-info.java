/** The tenant-scoped HTTP API, the auditor console, SOC2 evidence packs, API tokens and the meta-audit. */
package io.auditrail.reports;
