/**
 * The {@code minilm} cause classifier and recommender of the incidents exporter, implemented
 * with {@code io.vigil.analysis.incidents} (all-MiniLM-L6-v2 sentence embeddings, a softmax
 * regression for causes, BM25 + embedding retrieval for similar incidents), trained on a
 * knowledge base of past incidents in the post-mortem JSON Lines format.
 */
package io.vigil.exporter.incidents.minilm;
