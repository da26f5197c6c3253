/** The compiler from parse tree to evaluators, the paths of each context and the functions. */
package io.vigil.processor.ottl.internal;
