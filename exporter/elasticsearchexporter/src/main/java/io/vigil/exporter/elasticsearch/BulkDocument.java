package io.vigil.exporter.elasticsearch;

/**
 * One document of a bulk request: its index, the {@code _id} given to it once when the batch
 * was first encoded (so a retry that repeats it is answered 409 instead of indexing it twice),
 * and its JSON source.
 */
record BulkDocument(String index, String id, byte[] source) {}
