package org.vigie.screening;

/** What a batch or compare run did: rows read and rows with a match at the threshold. */
public record BatchSummary(long rows, long matchedRows) {}
