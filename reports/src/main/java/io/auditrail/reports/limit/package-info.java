/** Bounds on what one caller can make the server do: calls at once per token and in all, anonymous refusals. */
package io.auditrail.reports.limit;
