/**
 * SOC2 evidence packs: facts gathered from the index, the meta-audit and the archive for one tenant and period,
 * rendered as a summary (HTML, PDF), CSV files, JSON, and a signed manifest that makes the pack tamper-evident.
 * See docs/EVIDENCE.md.
 */
package io.auditrail.reports.evidence;
