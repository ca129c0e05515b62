/**
 * Errors shared by every module: {@link org.vigie.error.VigieException} carrying an
 * {@link org.vigie.error.ErrorCode}, whose {@link org.vigie.error.ErrorKind} decides the HTTP status.
 */
package org.vigie.error;
