/** Archives every raw line to S3, byte-exact, under a signed hash chain of digests; verifies and replays it. */
package io.auditrail.archive;
