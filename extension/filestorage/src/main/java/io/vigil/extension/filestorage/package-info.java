/**
 * The {@code file_storage} extension and the segmented write-ahead log ({@link
 * io.vigil.extension.filestorage.DurableLog}) that durable sending queues keep on it.
 */
package io.vigil.extension.filestorage;
