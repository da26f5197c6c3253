/** The {@code bearertokenauth} extension: bearer tokens checked on receivers, sent by exporters. */
package io.vigil.extension.bearertokenauth;
