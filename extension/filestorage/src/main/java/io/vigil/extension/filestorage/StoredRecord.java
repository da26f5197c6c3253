package io.vigil.extension.filestorage;

/**
 * A record read back from the log.
 *
 * @param position its sequence number, what {@link LogReader#commit(long)} takes
 * @param payload the bytes appended
 */
public record StoredRecord(long position, byte[] payload) {}
