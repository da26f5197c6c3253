/** The {@code basicauth} extension: htpasswd-checked Basic auth on receivers, credentials for exporters. */
package io.vigil.extension.basicauth;
